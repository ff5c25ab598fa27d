// Express 4, installed under the npm alias `express-v4`, ships no types of its own. The
// middleware's types come from @types/express (5), whose surface the tests use is the same.
declare module 'express-v4' {
  import express = require('express');
  export = express;
}
