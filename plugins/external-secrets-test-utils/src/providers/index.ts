export * from './createProbeProviderModule';
