'use strict';
// The password check's worker-thread entry when the app runs from its TypeScript sources (ts-jest,
// ts-node): a worker cannot load a .ts file by itself. The built app (dist/) points its worker at
// the compiled passwordPolicy.js instead. See passwordCheckPool.ts.
require('ts-node').register({ transpileOnly: true });
module.exports = require('../../domain/passwordPolicy.ts');
