/** jest globalTeardown: removes the compile cache that tests/compile-cache.js made. */
module.exports = require("./compile-cache").teardown;
