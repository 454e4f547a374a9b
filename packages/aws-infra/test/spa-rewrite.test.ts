import { LEGAL_PAGES, SPA_REWRITE_FUNCTION_CODE } from '../src';

type Handler = (event: { request: { uri: string } }) => { uri: string };
// The function body is plain ES5 as CloudFront Functions run it; evaluate it as they would.
const handler = new Function(`${SPA_REWRITE_FUNCTION_CODE}\nreturn handler;`)() as Handler;
const rewrite = (uri: string) => handler({ request: { uri } }).uri;

describe('SPA rewrite CloudFront Function', () => {
  test.each([
    ['/', '/index.html'],
    ['/signup', '/index.html'],
    ['/confirm/code', '/index.html'],
    ['/workspace/', '/index.html'],
  ])('serves the app for client-side route %s', (uri, expected) => {
    expect(rewrite(uri)).toBe(expected);
  });

  test.each([
    ['/terms', '/terms.html'],
    ['/privacy', '/privacy.html'],
    ['/terms/', '/terms.html'],
  ])('serves the legal page %s as a file, not the app', (uri, expected) => {
    expect(rewrite(uri)).toBe(expected);
  });

  test.each(['/terms.html', '/app.js', '/styles.css', '/logo.svg', '/config.json', '/assets/app.1234.js'])(
    'leaves the static file %s alone',
    (uri) => {
      expect(rewrite(uri)).toBe(uri);
    },
  );

  test.each(['/t/alice', '/t/alice/', '/t/alice/chat', '/t/alice/_platform/ready'])('never rewrites tenant paths (%s)', (uri) => {
    expect(rewrite(uri)).toBe(uri);
  });

  test('the legal pages are the ones the auth UI ships', () => {
    expect(LEGAL_PAGES).toEqual(['/terms', '/privacy']);
  });
});
