import {writeFileSync} from 'node:fs';
import {root} from './cli.js';
import {renderScreens, screensDocument} from './screens.js';

// `npm run docs:screens`: rewrites docs/screens.md from the components.
writeFileSync(`${root}docs/screens.md`, screensDocument(await renderScreens()));
process.exit(0);
