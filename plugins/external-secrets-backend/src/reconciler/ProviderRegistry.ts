import { SecretsProvider } from '@external-secrets-backstage/backstage-plugin-external-secrets-node';

/** The providers modules registered, by `spec.provider` key. */
export class ProviderRegistry {
  private readonly providers = new Map<string, SecretsProvider>();

  add(provider: SecretsProvider): void {
    if (this.providers.has(provider.name)) {
      throw new Error(
        `External Secrets provider "${provider.name}" is registered twice; install one module per provider`,
      );
    }
    this.providers.set(provider.name, provider);
  }

  get(name: string): SecretsProvider | undefined {
    return this.providers.get(name);
  }

  names(): string[] {
    return [...this.providers.keys()].sort();
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.providers.values()].map(p => p.shutdown?.()));
  }
}
