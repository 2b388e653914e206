module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // This test-only workspace exists to compose the backend plugin with its
    // modules and the scaffolder module, which no production package may do.
    '@backstage/no-mixed-plugin-imports': 'off',
  },
});
