// The bundle's stand-in for undici. @actions/core reaches undici only through
// @actions/http-client's proxy agent, used to fetch OIDC tokens, which changeops never asks for;
// our own GitHub calls use Node's built-in fetch. Bundling undici would add 400 KiB.
export class ProxyAgent {
  constructor() {
    throw new Error(
      'changeops does not bundle undici: HTTP proxies for @actions/http-client are not supported',
    );
  }
}
export const fetch = globalThis.fetch;
