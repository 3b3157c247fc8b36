// The EPUB dc:date in ISO form, as Pandoc's normalizeDate' writes it (epubcheck OPF-053 otherwise).
import { describe, expect, it } from 'vitest'
import { epubDate } from '../src/epub/epub-date.js'

describe('epubDate', () => {
  it('writes dates as Pandoc does', () => {
    expect(epubDate('27 October 2025')).toBe('2025-10-27')
    expect(epubDate('13 January 2024')).toBe('2024-01-13')
    expect(epubDate('2 Oct 2025')).toBe('2025-10-02')
    expect(epubDate('October 27, 2025')).toBe('2025-10-27')
    expect(epubDate('Oct. 7, 2025')).toBe('2025-10-07')
    expect(epubDate('10/27/2025')).toBe('2025-10-27')
    expect(epubDate('2017-01-20')).toBe('2017-01-20')
    expect(epubDate('2017-1-2')).toBe('2017-01-02')
    expect(epubDate('2017')).toBe('2017')
    expect(epubDate('2017-05')).toBe('2017-05')
    expect(epubDate('20251027')).toBe('2025-10-27')
  })
  it('gives nothing for what Pandoc cannot read', () => {
    expect(epubDate('Winter term 2025')).toBeUndefined()
    expect(epubDate('31 February 2025')).toBeUndefined()
    expect(epubDate('27 Oktober 2025')).toBeUndefined()
    expect(epubDate('1 January 1500')).toBeUndefined()
  })
})
