export { SecretConsumersSummary } from './SecretConsumersSummary';
export { SecretConsumersTable } from './SecretConsumersTable';
export { RestartNowButton } from './RestartNowButton';
