// The browser entry of the layout passes, bundled into one script (see `../layout-script.ts`) whose exports become
// the page's `galleyLayout`: `improveLineBreaks` first, then `paginate`, with the same print styles; `pageStarts` after them.
export { improveLineBreaks } from './line-breaking.js'
export { paginate } from './paginate.js'
export { pageStarts } from './page-starts.js'
