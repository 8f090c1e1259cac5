// The shape of synthetic data: every weight below paraphrases a figure or a description from the
// shared source reports (shared/sources, see manifest.json), named by publisher; where no report
// gives a figure the comment says it is an assumption. Weights are relative, not percentages.
//
// Reports, as the comments name them:
//   "longform"  – the long-form piece "North Korean Labour Fuels Russia" (publisher not named)
//   "NIS/EP"    – Euromaidan Press on Russian entry statistics (via Yonhap and Radio Free Asia)
//   "ST"        – The Straits Times summary of the South Korean NIS estimate
//   "KI"        – Kyiv Independent rewrite on the labour deal
//   "PL"        – the Polish report (publisher not named) on workers from the DPRK in 2024

export type Weighted<T> = readonly (readonly [T, number])[];

/** Year a deployment started. NIS/EP: entries in 2024 were about twelve times those of 2023; KI: the 2025 deal allows about 15,000 more; the UN ban took effect at the end of 2019. */
export const DEPLOYMENT_YEARS: Weighted<number> = [
  [2019, 3],
  [2020, 1],
  [2021, 1],
  [2022, 2],
  [2023, 4],
  [2024, 48],
  [2025, 41],
];

/** How long a deployment lasted before the interview, in months (assumption: one to three years, contracts are renewed). */
export const DEPLOYMENT_MONTHS = { min: 4, max: 36 } as const;

/** Regions. NIS/EP: arrivals photographed at Vladivostok airport (Primorsky); longform: Moscow's building sites and 5,000 men planned for rebuilding Kursk, possibly occupied Ukraine ('other'); the Far East and Moscow dominate. */
export const REGIONS: Weighted<string> = [
  ['primorsky-krai', 22],
  ['khabarovsk-krai', 11],
  ['amur-oblast', 7],
  ['sakhalin-oblast', 5],
  ['kamchatka-krai', 2],
  ['sakha', 2],
  ['magadan-oblast', 1],
  ['jewish-ao', 1],
  ['zabaykalsky-krai', 1],
  ['buryatia', 1],
  ['moscow', 16],
  ['moscow-oblast', 8],
  ['kursk-oblast', 3],
  ['saint-petersburg', 3],
  ['leningrad-oblast', 1],
  ['novosibirsk-oblast', 3],
  ['irkutsk-oblast', 2],
  ['krasnoyarsk-krai', 2],
  ['tatarstan', 2],
  ['sverdlovsk-oblast', 2],
  ['rostov-oblast', 2],
  ['krasnodar-krai', 1],
  ['other', 2],
];

/** Site types. PL and NIS/EP: most work on building sites; ST: construction absorbs the shortage; longform: factories too. */
export const SITE_TYPES: Weighted<string> = [
  ['construction', 70],
  ['factory', 8],
  ['logging', 6],
  ['agriculture', 5],
  ['fishing', 5],
  ['services', 4],
  ['other', 2],
];

/** Visas from 2020 on. NIS/EP: 7,887 of 13,221 entries in 2024 gave study as the purpose (about 60%); KI: nearly 8,000 "students"; longform: student passes hide the work. */
export const VISA_TYPES: Weighted<string> = [
  ['student', 60],
  ['trainee', 10],
  ['work', 8],
  ['tourist', 6],
  ['none', 4],
  ['unknown', 12],
];
/** Before the ban took effect (2019) work permits were still issued (ST: resolution 2375 ended them by December 2019). */
export const VISA_TYPES_BEFORE_BAN: Weighted<string> = [
  ['work', 55],
  ['student', 20],
  ['trainee', 10],
  ['unknown', 15],
];

/** Outcomes. Longform: escapes are rare (about twenty in 2022, ten the year after); those who left are the ones an NGO can interview, so returned and escaped workers are over-represented (assumption). */
export const OUTCOMES: Weighted<string> = [
  ['still_working', 30],
  ['returned', 30],
  ['escaped', 15],
  ['transferred', 8],
  ['unknown', 17],
];

/** Age bands. Longform: only trusted men with families kept at home are selected (assumption: mostly 25–44). */
export const AGE_BANDS: Weighted<string> = [
  ['18-24', 8],
  ['25-34', 40],
  ['35-44', 36],
  ['45-54', 14],
  ['55+', 2],
];

/** Sex. Longform and ST speak of men throughout. */
export const SEXES: Weighted<'male' | 'female' | 'unknown'> = [
  ['male', 95],
  ['female', 1],
  ['unknown', 4],
];

/** Shift start. Longform: the day starts at six in the morning. */
export const SHIFT_STARTS: Weighted<string> = [
  ['06:00', 60],
  ['05:00', 12],
  ['05:30', 10],
  ['07:00', 13],
  ['08:00', 5],
];

/** Hours a shift lasts. Longform: shifts often longer than eighteen hours, six in the morning to two at night (20 h). */
export const SHIFT_HOURS: Weighted<number> = [
  [12, 8],
  [13, 4],
  [14, 12],
  [15, 6],
  [16, 16],
  [17, 6],
  [18, 18],
  [19, 6],
  [20, 20],
  [21, 2],
  [22, 2],
];

/** Days worked a week (assumption consistent with longform's two rest days a year: nearly every day). */
export const DAYS_PER_WEEK: Weighted<number> = [
  [7, 65],
  [6.5, 15],
  [6, 20],
];

/** Rest days a year, as ranges. Longform: two days of rest in a whole year; others get one or two a month (assumption). */
export const REST_DAYS: Weighted<readonly [number, number]> = [
  [[0, 0], 10],
  [[1, 4], 45],
  [[5, 11], 20],
  [[12, 24], 25],
];

/** Monthly wage paid by the employer, in US dollars. ST: about $800 a month. */
export const WAGE_USD = { min: 600, max: 1000, step: 50 } as const;
/** Longform: what is left after the loyalty contribution, $100–200 a month, is only written in a book, paid (they are told) on return. */
export const LEDGER_USD = { min: 100, max: 200, step: 10 } as const;
/** Longform: a small daily allowance for tobacco and drink is all that reaches their hands (assumption: $0–40 a month). */
export const IN_HAND_USD = { min: 0, max: 40, step: 10 } as const;
/** Share of testimonies where the worker could not tell the wage (assumption). */
export const PAY_UNKNOWN = 0.08;

/** Currency the pay was reported in (assumption: dollars mostly, roubles for part of the far-eastern sites; a few in another currency, not converted). */
export const CURRENCIES: Weighted<'USD' | 'RUB' | 'OTHER'> = [
  ['USD', 70],
  ['RUB', 28],
  ['OTHER', 2],
];

/** Whether the ledger was ever paid. Longform: the sum is promised only on return, to discourage escape. */
export const LEDGER_PAID: Weighted<string> = [
  ['no', 65],
  ['partly', 10],
  ['yes', 3],
  ['unknown', 22],
];

/** Housing. Longform: many sleep in shipping containers, others on the floors of the unfinished buildings they put up. Null: not asked. */
export const HOUSING: Weighted<string | null> = [
  ['shipping_container', 40],
  ['unfinished_building', 28],
  ['dormitory', 22],
  ['other', 4],
  [null, 6],
];

/** Tri-state answers: [yes, no, unknown]. Longform: state security minders watch constantly; phones are forbidden; ideological sessions grew more frequent. */
export const MINDERS = [85, 5, 10] as const;
export const PHONES_FORBIDDEN = [75, 10, 15] as const;
export const IDEOLOGICAL_SESSIONS = [80, 5, 15] as const;

/** Share of workers with at least one injury, and with a second (assumption: longform describes falls from height, men working in the dark after power cuts, and falling asleep standing). */
export const INJURY_RATE = 0.28;
export const SECOND_INJURY_RATE = 0.15;
export const INJURY_KINDS: Weighted<string> = [
  ['fall from height', 30],
  ['crushed by material', 20],
  ['cut', 20],
  ['burn', 8],
  ['frostbite', 8],
  ['back injury', 14],
];
/** Severity; a fatal injury leaves no one to interview, so none here. */
export const INJURY_SEVERITY: Weighted<string> = [
  ['minor', 50],
  ['serious', 38],
  ['permanent', 12],
];
/** Care. Longform: a worker badly hurt in a fall was refused a doctor by his managers. */
export const INJURY_CARE: Weighted<string> = [
  ['denied', 35],
  ['delayed', 33],
  ['received', 27],
  ['none_needed', 5],
];
/** Made to keep working while injured: [yes, no, unknown]. Longform: men kept at work exhausted and hurt. */
export const KEPT_WORKING = [60, 25, 15] as const;

/** Chance that a caseworker records an answer for an ILO indicator at all (assumption). */
export const ILO_ASKED = 0.45;
/**
 * Of the answers, the share "yes" per indicator (the rest split no 70% / unknown 30%). Longform:
 * pay withheld and ledgered, 18–20 h days, confinement to the compound, isolation, beatings of men
 * who fell asleep, families kept at home as hostages; documents held and debts: assumption.
 */
export const ILO_YES: Readonly<Record<string, number>> = {
  abuse_of_vulnerability: 0.55,
  deception: 0.35,
  restriction_of_movement: 0.85,
  isolation: 0.85,
  physical_and_sexual_violence: 0.3,
  intimidation_and_threats: 0.65,
  retention_of_identity_documents: 0.6,
  withholding_of_wages: 0.95,
  debt_bondage: 0.2,
  abusive_working_and_living_conditions: 0.85,
  excessive_overtime: 0.95,
};

/** Consent scopes (assumption): every testimony may be used internally; most for research; about half for public aggregates; a few quotes. */
export const CONSENT_RESEARCH = 0.75;
export const CONSENT_PUBLIC_AGGREGATE = 0.5;
export const CONSENT_PUBLIC_QUOTE = 0.1;
/** Consents withdrawn later (assumption: a few, fearing for family at home). */
export const CONSENT_WITHDRAWN = 0.02;
export const CONSENT_METHODS: Weighted<string> = [
  ['oral', 60],
  ['written', 25],
  ['intermediary', 15],
];
