// The few words Galley writes itself (headings of the contents and notes, EPUB navigation labels), in the book's language.

export interface Terms {
  contents: string
  notes: string
  cover: string
  landmarks: string
  startOfText: string
  bibliography: string
}

const english: Terms = { contents: 'Contents', notes: 'Notes', cover: 'Cover', landmarks: 'Landmarks', startOfText: 'Start of text', bibliography: 'Bibliography' }

/** By primary language subtag; what Pandoc's translations (`toc-title`) and publishers' usage give. */
const terms: Record<string, Terms> = {
  en: english,
  de: { contents: 'Inhalt', notes: 'Anmerkungen', cover: 'Umschlag', landmarks: 'Orientierungspunkte', startOfText: 'Textanfang', bibliography: 'Literatur' },
  fr: { contents: 'Table des matières', notes: 'Notes', cover: 'Couverture', landmarks: 'Repères', startOfText: 'Début du texte', bibliography: 'Bibliographie' },
  es: { contents: 'Índice', notes: 'Notas', cover: 'Cubierta', landmarks: 'Puntos de referencia', startOfText: 'Inicio del texto', bibliography: 'Bibliografía' },
  it: { contents: 'Indice', notes: 'Note', cover: 'Copertina', landmarks: 'Punti di riferimento', startOfText: 'Inizio del testo', bibliography: 'Bibliografia' },
  pt: { contents: 'Sumário', notes: 'Notas', cover: 'Capa', landmarks: 'Pontos de referência', startOfText: 'Início do texto', bibliography: 'Bibliografia' },
  nl: { contents: 'Inhoud', notes: 'Noten', cover: 'Omslag', landmarks: 'Oriëntatiepunten', startOfText: 'Begin van de tekst', bibliography: 'Bibliografie' },
  sv: { contents: 'Innehåll', notes: 'Noter', cover: 'Omslag', landmarks: 'Landmärken', startOfText: 'Textens början', bibliography: 'Litteratur' },
  da: { contents: 'Indhold', notes: 'Noter', cover: 'Omslag', landmarks: 'Vartegn', startOfText: 'Tekstens begyndelse', bibliography: 'Litteratur' },
  nb: { contents: 'Innhold', notes: 'Noter', cover: 'Omslag', landmarks: 'Landemerker', startOfText: 'Tekstens begynnelse', bibliography: 'Litteratur' },
  fi: { contents: 'Sisällys', notes: 'Viitteet', cover: 'Kansi', landmarks: 'Maamerkit', startOfText: 'Tekstin alku', bibliography: 'Lähteet' },
  pl: { contents: 'Spis treści', notes: 'Przypisy', cover: 'Okładka', landmarks: 'Punkty orientacyjne', startOfText: 'Początek tekstu', bibliography: 'Bibliografia' },
  cs: { contents: 'Obsah', notes: 'Poznámky', cover: 'Obálka', landmarks: 'Orientační body', startOfText: 'Začátek textu', bibliography: 'Literatura' },
  ru: { contents: 'Содержание', notes: 'Примечания', cover: 'Обложка', landmarks: 'Ориентиры', startOfText: 'Начало текста', bibliography: 'Литература' },
  zh: { contents: '目录', notes: '注释', cover: '封面', landmarks: '地标', startOfText: '正文开始', bibliography: '参考文献' },
  ja: { contents: '目次', notes: '注', cover: '表紙', landmarks: 'ランドマーク', startOfText: '本文の始まり', bibliography: '参考文献' },
}
terms['no'] = terms['nb'] ?? english
terms['nn'] = terms['nb'] ?? english

/** The terms for a BCP 47 tag (`de-AT` → German); English for a language Galley has no words for. */
export function termsFor(lang: string): Terms {
  return terms[lang.split(/[-_]/)[0]?.toLowerCase() ?? ''] ?? english
}

/** The default titles of callouts (`::: {.callout-note}`, `> [!NOTE]`), as Quarto's translations give them. */
export interface CalloutTitles {
  note: string
  tip: string
  important: string
  warning: string
  caution: string
}

const calloutTitles: Record<string, CalloutTitles> = {
  en: { note: 'Note', tip: 'Tip', important: 'Important', warning: 'Warning', caution: 'Caution' },
  de: { note: 'Hinweis', tip: 'Tipp', important: 'Wichtig', warning: 'Warnung', caution: 'Vorsicht' },
  fr: { note: 'Note', tip: 'Astuce', important: 'Important', warning: 'Avertissement', caution: 'Attention' },
  es: { note: 'Nota', tip: 'Consejo', important: 'Importante', warning: 'Advertencia', caution: 'Precaución' },
  it: { note: 'Nota', tip: 'Suggerimento', important: 'Importante', warning: 'Avvertimento', caution: 'Attenzione' },
  pt: { note: 'Nota', tip: 'Dica', important: 'Importante', warning: 'Aviso', caution: 'Cuidado' },
  nl: { note: 'Opmerking', tip: 'Tip', important: 'Belangrijk', warning: 'Waarschuwing', caution: 'Let op' },
  sv: { note: 'Obs', tip: 'Tips', important: 'Viktigt', warning: 'Varning', caution: 'Försiktighet' },
  da: { note: 'Bemærk', tip: 'Tip', important: 'Vigtigt', warning: 'Advarsel', caution: 'Forsigtig' },
  nb: { note: 'Merknad', tip: 'Tips', important: 'Viktig', warning: 'Advarsel', caution: 'Forsiktig' },
  fi: { note: 'Huomautus', tip: 'Vinkki', important: 'Tärkeää', warning: 'Varoitus', caution: 'Varo' },
  pl: { note: 'Uwaga', tip: 'Wskazówka', important: 'Ważne', warning: 'Ostrzeżenie', caution: 'Przestroga' },
  cs: { note: 'Poznámka', tip: 'Tip', important: 'Důležité', warning: 'Varování', caution: 'Upozornění' },
  ru: { note: 'Примечание', tip: 'Совет', important: 'Важно', warning: 'Предупреждение', caution: 'Осторожно' },
  zh: { note: '注意', tip: '提示', important: '重要', warning: '警告', caution: '小心' },
  ja: { note: '注記', tip: 'ヒント', important: '重要', warning: '警告', caution: '注意' },
}

/** Callout titles for a BCP 47 tag, as `termsFor` chooses; English for a language Galley has no words for. */
export function calloutTitlesFor(lang: string): CalloutTitles {
  const primary = lang.split(/[-_]/)[0]?.toLowerCase() ?? ''
  return calloutTitles[primary === 'no' || primary === 'nn' ? 'nb' : primary] ?? (calloutTitles['en'] as CalloutTitles)
}
