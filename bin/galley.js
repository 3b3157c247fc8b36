#!/usr/bin/env -S node --v8-pool-size=1
// One V8 helper thread, not four: on a two-core machine the four compete with the build's own two threads (the
// book's and citeproc's), and a cold build of the benchmark's medium book took a tenth longer with them.
import { main } from '../lib/bundle/galley.js'

process.exitCode = await main(process.argv.slice(2))
