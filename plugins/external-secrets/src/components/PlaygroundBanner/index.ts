export { PlaygroundBanner, PLAYGROUND_TITLE } from './PlaygroundBanner';
