#!/usr/bin/env node
import { main } from '../lib/bundle/galley.js'

process.exitCode = await main(process.argv.slice(2))
