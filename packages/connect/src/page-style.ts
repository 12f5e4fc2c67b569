// The page's one stylesheet, served from `<basePath>/style.css` so the Content-Security-Policy can
// allow `style-src 'self'` and nothing inline. Colours meet WCAG AA contrast (text 4.5:1 or more on
// its background; the focus ring 3:1 or more against both the control and the page).
export const PAGE_STYLE = `
:root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
* { box-sizing: border-box; }
body { margin: 0; background: #f3f4f6; color: #111827; line-height: 1.5; }
main { max-width: 28rem; margin: 3rem auto; padding: 2rem; background: #ffffff; border: 1px solid #d1d5db; border-radius: 0.75rem; }
.app { display: flex; align-items: center; gap: 0.75rem; margin-bottom: 1.25rem; }
.logo { width: 3rem; height: 3rem; border-radius: 0.5rem; display: grid; place-items: center; background: #1e3a8a; color: #ffffff; font-size: 1.5rem; font-weight: 700; flex: none; }
.logo img { width: 3rem; height: 3rem; border-radius: 0.5rem; }
h1 { font-size: 1.375rem; margin: 0; }
p { margin: 0 0 1rem; }
.lead { color: #374151; }
nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: 0.5rem; padding: 0; margin: 0 0 1.25rem; }
nav a { display: inline-block; padding: 0.375rem 0.75rem; border: 1px solid #6b7280; border-radius: 999px; color: #1e3a8a; text-decoration: none; }
nav a[aria-current="page"] { background: #1e3a8a; border-color: #1e3a8a; color: #ffffff; }
.field { margin-bottom: 1rem; }
label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
.optional { font-weight: 400; color: #4b5563; }
.hint { display: block; font-size: 0.875rem; color: #4b5563; margin-bottom: 0.25rem; }
input[type="text"], input[type="password"], input[type="number"] { width: 100%; padding: 0.5rem 0.625rem; font: inherit; color: #111827; background: #ffffff; border: 1px solid #6b7280; border-radius: 0.375rem; }
input[aria-invalid="true"] { border: 2px solid #b91c1c; }
.checkbox label { display: inline; font-weight: 400; }
.error { display: block; color: #b91c1c; font-size: 0.875rem; font-weight: 600; margin-top: 0.25rem; }
.summary { border: 2px solid #b91c1c; border-radius: 0.5rem; padding: 0.75rem 1rem; margin-bottom: 1.25rem; background: #fef2f2; }
.summary h2 { font-size: 1rem; margin: 0 0 0.25rem; color: #991b1b; }
.summary ul { margin: 0; padding-left: 1.25rem; }
.summary a { color: #991b1b; }
button, .button { display: inline-block; width: 100%; padding: 0.625rem 1rem; font: inherit; font-weight: 600; text-align: center; text-decoration: none; color: #ffffff; background: #1e3a8a; border: 2px solid #1e3a8a; border-radius: 0.5rem; cursor: pointer; }
button:hover, .button:hover { background: #1e40af; }
a { color: #1e3a8a; }
:focus-visible { outline: 3px solid #c2410c; outline-offset: 2px; }
.status { font-size: 3rem; line-height: 1; margin-bottom: 0.5rem; }
.muted { color: #4b5563; font-size: 0.875rem; margin-top: 1.5rem; }
`;
