import { closestNames } from './closestNames';

describe('closestNames', () => {
  it('should offer the names one typo away, nearest first', () => {
    expect(
      closestNames('MY_SECRET_NAM', [
        'OTHER',
        'MY_SECRET_NAME',
        'MY_SECRETS_NAME',
      ]),
    ).toEqual(['MY_SECRET_NAME', 'MY_SECRETS_NAME']);
  });

  it('should offer nothing when no name is close', () => {
    expect(closestNames('DB_PASSWORD', ['API_KEY', 'STRIPE_TOKEN'])).toEqual(
      [],
    );
  });

  it('should ignore case differences when ranking', () => {
    expect(closestNames('db_password', ['DB_PASSWORD', 'DB_USER'])).toEqual([
      'DB_PASSWORD',
    ]);
  });
});
