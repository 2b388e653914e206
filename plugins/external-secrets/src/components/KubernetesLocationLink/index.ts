export { KubernetesLocationLink } from './KubernetesLocationLink';
