import {writeFileSync} from 'node:fs';
import {renderReference} from './reference.js';

// Entry point of `npm run docs:config`.
const target = new URL('../../docs/configuration.md', import.meta.url);
writeFileSync(target, renderReference());
console.log(`Wrote ${target.pathname}`);
