// Part of the demo branch (npm run demo): code of the payments-api CI changed without a change
// record that names payments-api, which the rogue-change rule reports.
package payments

const maxOpenConnections = 80
