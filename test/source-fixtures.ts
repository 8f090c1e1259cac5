// Short reports written for the tests (not taken from any publication), carrying the same kinds
// of facts the real reports do: entries in a year, student visas, shifts, pay kept in a ledger.
export const ENGLISH_ENTRIES = `Border statistics for 2024
Russian border statistics counted 13,500 arrivals of North Korean citizens in 2024, most of them bound for construction sites. About 8,100 of them gave study as the purpose of the trip, which monitors read as cover for labour.`;

export const ENGLISH_SHIFTS = `Night shifts on the housing estate
Workers interviewed in Vladivostok described shifts from six in the morning until two at night, two rest days a year, and wages kept in a ledger until they go home.`;

export const POLISH_ENTRIES = `Robotnicy z Korei Północnej w Rosji
Według danych rosyjskiej straży granicznej w 2024 roku do Rosji wjechało 12 000 obywateli Korei Północnej. Większość pracowników trafia na budowy, a wielu z nich ma wizy studenckie zamiast pozwoleń na pracę.`;

export const KOREAN_ENTRIES = `러시아의 북한 노동자
러시아 국경 통계에 따르면 2024년에 북한 주민 1만 3천 명이 러시아에 입국했으며, 대부분은 건설 현장에서 일하는 노동자들이다. 이 가운데 상당수는 유학 비자로 입국했다.`;
