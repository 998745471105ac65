import { buildWeb, isWebBuildCurrent, WEB_DIST } from '../web/web-build.ts';

// `npm run build:web`: builds the web app into dist/web (npm start does this by itself when needed).
const force = process.argv.includes('--force');
if (!force && (await isWebBuildCurrent())) {
  console.log(`${WEB_DIST} is up to date`);
} else {
  const started = Date.now();
  await buildWeb({ onLine: (line) => console.log(line) });
  console.log(`built ${WEB_DIST} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
