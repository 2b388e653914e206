import {
  LabelSelectorError,
  matchesLabelSelector,
  parseLabelSelector,
} from './labelSelector';

const labels = { app: 'web', tier: 'frontend', 'example.com/team': 'a' };

describe('parseLabelSelector', () => {
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app=api', false],
    ['app!=api', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['app in (api, web)', true],
    ['app in (api,worker)', false],
    ['app notin (api,worker)', true],
    ['missing notin (x)', true],
    ['app notin (web)', false],
    ['app', true],
    ['missing', false],
    ['!missing', true],
    ['!app', false],
    ['example.com/team=a', true],
    ['app=web,tier=frontend', true],
    ['app=web, tier=backend', false],
    ['app in (web),!missing,tier', true],
  ])('should evaluate %j against the labels as %s', (selector, expected) => {
    expect(matchesLabelSelector(labels, parseLabelSelector(selector))).toBe(
      expected,
    );
  });

  it('should match an empty value written as key=', () => {
    const requirements = parseLabelSelector('flag=');
    expect(matchesLabelSelector({ flag: '' }, requirements)).toBe(true);
    expect(matchesLabelSelector({ flag: 'x' }, requirements)).toBe(false);
  });

  it.each([
    ['app in web'],
    ['app in ()'],
    ['=web'],
    ['app=web,'],
    ['app=(web)'],
    ['Bad Key=1'],
    ['app=not valid value!'],
    ['app gt 3'],
  ])('should reject %j like the apiserver does', selector => {
    expect(() => parseLabelSelector(selector)).toThrow(LabelSelectorError);
  });
});
