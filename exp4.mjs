import { build } from '/work/main/lib/build.js'
const dir = process.argv[2]
const t = performance.now()
const r = await build({ inputs: [], to: process.argv[3].split(','), cwd: dir, outputDir: dir + '/dist', noCache: process.argv[4] === 'cold' })
console.log(JSON.stringify(r.timings), (performance.now() - t).toFixed(0))
