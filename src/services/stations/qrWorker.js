'use strict';
// The QR decoder's worker-thread entry when the app runs from its TypeScript sources (ts-jest,
// ts-node): a worker cannot load a .ts file by itself. The built app (dist/) points its workers at
// the compiled qrDecoder.js instead, so this file and ts-node are never needed in production.
// See qrDecodePool.ts.
require('ts-node').register({ transpileOnly: true });
module.exports = require('./qrDecoder.ts');
