// Items of a connection asked without `first` or `last`. Apart from pagination.ts so that the request
// limits' defaults (src/limits/defaults.ts), read with the settings before the service loads
// (src/main.ts), take it without loading the schema's modules: cost and pages still share one number.
export const DEFAULT_PAGE_SIZE = 20;
