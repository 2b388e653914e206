import { ParsedExternalSecret } from '@external-secrets-backstage/backstage-plugin-external-secrets-common';
import {
  SecretValue,
  TemplateSource,
  TemplateSources,
  templateSourceRefs,
} from '@external-secrets-backstage/backstage-plugin-external-secrets-node';
import { ClusterClient } from '../kubernetes';

/**
 * Reads the ConfigMaps and Secrets `templateFrom` names, as ESO's
 * MergeConfigMap/MergeSecret do (pkg/controllers/templating/parser.go):
 * only from the ExternalSecret's own namespace (the trust model: a template
 * never reads another namespace). A missing object or a failed read is
 * handed to the core, which then fails the ExternalSecret and writes nothing.
 */
export async function readTemplateSources(
  parsed: ParsedExternalSecret,
  client: ClusterClient,
  namespace: string,
): Promise<TemplateSources | undefined> {
  const refs = templateSourceRefs(parsed);
  if (refs.configMaps.length === 0 && refs.secrets.length === 0)
    return undefined;
  const read = async <T>(
    kind: 'ConfigMap' | 'Secret',
    name: string,
    get: () => Promise<Record<string, T> | undefined>,
  ): Promise<[string, TemplateSource<T>]> => {
    try {
      const data = await get();
      if (data) return [name, { ok: true, data }];
      return [
        name,
        {
          ok: false,
          error: `${kind} ${namespace}/${name} not found (templateFrom reads only the ExternalSecret's namespace): create it, or fix the name`,
        },
      ];
    } catch (e) {
      return [
        name,
        {
          ok: false,
          error: `could not read ${kind} ${namespace}/${name}: ${
            (e as Error).message
          }`,
        },
      ];
    }
  };
  const [configMaps, secrets] = await Promise.all([
    Promise.all(
      refs.configMaps.map(name =>
        read('ConfigMap', name, () => client.getConfigMap(namespace, name)),
      ),
    ),
    Promise.all(
      refs.secrets.map(name =>
        read<SecretValue>('Secret', name, async () => {
          const secret = await client.getSecret(namespace, name);
          return secret?.data;
        }),
      ),
    ),
  ]);
  return { configMaps: new Map(configMaps), secrets: new Map(secrets) };
}
