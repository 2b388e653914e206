import { tagSlugsFromFind } from './tagSlugsFromFind';

describe('tagSlugsFromFind', () => {
  it('should use each map key as a tag slug when the value is empty or repeats the slug', () => {
    expect(tagSlugsFromFind({ payments: '', backend: 'backend' })).toEqual({
      slugs: ['backend', 'payments'],
    });
  });

  it('should refuse values, since Infisical tags have none', () => {
    expect(tagSlugsFromFind({ env: 'prod', team: '' })).toEqual({
      invalid: ['env=prod'],
    });
  });

  it('should ask for no tag filter when find.tags is absent', () => {
    expect(tagSlugsFromFind(undefined)).toEqual({ slugs: [] });
  });
});
