import {main} from './cli.js';

const code = await main(process.argv.slice(2));
// Open handles (SSH keepalives, timers) must not keep a finished command alive.
process.exit(code);
