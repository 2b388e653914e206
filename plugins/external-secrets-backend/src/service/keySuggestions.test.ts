import { keySuggestions, MAX_SUGGESTIONS } from './keySuggestions';

describe('keySuggestions', () => {
  it("puts the provider's names first, then near names, then the same name elsewhere", async () => {
    const suggestions = await keySuggestions(
      'DB_PASWORD',
      ['DB_PASSWORD'],
      async () => ['DB_PASSWORD', 'DB_PASSWORDS', '/other/DB_PASWORD', 'API'],
    );
    expect(suggestions).toEqual([
      'DB_PASSWORD',
      'DB_PASSWORDS',
      '/other/DB_PASWORD',
    ]);
  });

  it('keeps the provider suggestions when the listing fails', async () => {
    const suggestions = await keySuggestions(
      'DB_PASWORD',
      ['DB_PASSWORD'],
      () => Promise.reject(new Error('list denied')),
    );
    expect(suggestions).toEqual(['DB_PASSWORD']);
  });

  it(`suggests at most ${MAX_SUGGESTIONS} names`, async () => {
    const many = Array.from({ length: 12 }, (_, i) => `/f${i}/KEY`);
    const suggestions = await keySuggestions('KEY', [], async () => many);
    expect(suggestions).toHaveLength(MAX_SUGGESTIONS);
  });
});
