// citation-js, loaded only when a BibTeX file is read (it is the one input format we do not parse ourselves).
import { Cite } from '@citation-js/core'
import '@citation-js/plugin-bibtex'

export { Cite }
