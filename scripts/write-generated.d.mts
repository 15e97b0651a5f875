/** Writes `text` to `target`, or under --check exits 1 when `target` is missing or stale. */
export declare function writeGenerated(target: string, text: string, command: string): void;
