// handlebars uses source-map's SourceNode only to build source maps of compiled templates, which
// we never ask for; without it, it falls back to its own string builder. Shimmed out of the
// bundles to keep the action under 1 MB (26 KiB).
export {};
