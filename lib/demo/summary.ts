import 'server-only';
import type { Actor } from '../access';
import { approveSummary, createSummary, submitSummary } from '../summaries';
import type { SummaryContentInput } from '../summaries/content';
import type { SeededSources } from './sources';

// The demo's public summary, in English and in Korean, published through the real workflow: one
// demo reviewer writes it and sends it to review, the other approves it (the two-person rule).
// The text paraphrases facts from the shared reports in the project's own words, naming publishers.

export const DEMO_SUMMARY_SLUG = 'hours-and-pay-2019-2024';
export const DEMO_SUMMARY_SLUG_KO = 'hours-and-pay-2019-2024-ko';

const SCOPE = { from: '2019', to: '2024' } as const;
/** The claims shown beside the project's own figures: the same questions (hours a day, pay a month). */
const CLAIM_QUESTIONS = ['daily-working-hours', 'monthly-pay'];
const CITED = ['euromaidan-press', 'straits-times', 'kyiv-independent', 'longform'] as const;

const BODY_EN = `**Demonstration data.** The workers counted on this page are synthetic: they were generated for the Testimony Ledger demo and stand for no real person.

The figures count workers interviewed by Haven Documentation Centre whose deployment in Russia started between 2019 and 2024 and who agreed that their answers may be counted in public figures. A cell that would describe fewer than 10 workers is not shown, and neither are some other cells, hidden so that the small ones cannot be worked out from the totals; every hidden cell reads “not shown”.

## What other reports say

- Euromaidan Press, drawing on South Korean intelligence and Russian entry statistics, gives 13,221 entries of North Koreans into Russia in 2024, about twelve times the number a year earlier; 7,887 of those entries named study as the purpose.
- The Straits Times puts the number of North Korean workers already in Russia at around 4,000, each earning roughly 800 US dollars a month, most of them on building sites.
- The Kyiv Independent reports that Moscow agreed to take in close to 15,000 more North Korean labour migrants.
- A long-form blog account (publisher not named) describes days from six in the morning until two at night, two days of rest in a whole year, and pay mostly taken as "loyalty contributions", with 100 to 200 dollars a month only entered in a ledger, payable on return.

The sections below set the project's own counts beside these reports.`;

const BODY_KO = `**시연용 데이터.** 이 페이지에서 집계한 노동자는 Testimony Ledger 시연을 위해 생성한 가상의 인물이며 실제 사람을 나타내지 않습니다.

이 수치는 Haven Documentation Centre가 면담한 노동자 가운데 러시아 파견이 2019년부터 2024년 사이에 시작되었고, 자신의 답변을 공개 통계에 포함하는 데 동의한 사람을 셉니다. 노동자 10명 미만을 나타내게 되는 칸은 표시하지 않으며, 작은 칸을 합계로 알아낼 수 없도록 다른 칸도 일부 숨깁니다. 숨긴 칸은 모두 “비공개”로 표시됩니다.

## 다른 보고서의 내용

- Euromaidan Press는 한국 정보기관과 러시아 입국 통계를 인용해 2024년 북한 주민의 러시아 입국이 13,221건으로 전년의 약 12배였고, 그중 7,887건이 입국 목적을 유학으로 밝혔다고 전합니다.
- The Straits Times는 이미 러시아에 있는 북한 노동자를 약 4,000명으로 추산하며, 한 사람이 한 달에 약 800달러를 벌고 대부분 건설 현장에서 일한다고 전합니다.
- Kyiv Independent는 러시아가 북한 노동 이주자를 1만5천 명 가까이 더 받아들이기로 했다고 보도합니다.
- 발행처가 밝혀지지 않은 장문의 블로그 글은 아침 6시부터 새벽 2시까지 이어지는 노동, 1년에 이틀뿐인 휴일, 그리고 임금 대부분이 "충성 자금"으로 걷히고 남은 한 달 100~200달러는 장부에만 적혀 귀국 후에 준다고 하는 실태를 묘사합니다.

아래 항목은 이 보고서들과 나란히 본 사업의 자체 집계를 보여 줍니다.`;

function content(language: 'en' | 'ko', seeded: SeededSources): SummaryContentInput {
  const en = language === 'en';
  return {
    title: en ? 'Hours and pay of workers deployed 2019–2024' : '2019–2024년 파견 노동자의 노동 시간과 임금',
    body: en ? BODY_EN : BODY_KO,
    scope: SCOPE,
    sections: [
      {
        measure: 'workers',
        by: ['year', 'site_type'],
        chart: 'grouped-bars',
        caption: en ? 'Workers by the year their deployment started and the type of site' : '파견이 시작된 연도와 작업장 유형별 노동자 수',
      },
      {
        measure: 'hours_per_day',
        by: ['federal_district'],
        chart: 'bars',
        caption: en ? 'Median working hours a day, by federal district' : '연방관구별 하루 노동 시간 중앙값',
      },
      {
        measure: 'share_withheld',
        by: ['visa_type'],
        chart: 'bars',
        caption: en ? 'Median share of pay withheld (loyalty contribution and ledger), by visa type' : '비자 유형별 지급되지 않은 임금 비율 중앙값 (충성 자금과 장부 기재분)',
      },
    ],
    quoteIds: [],
    sourceIds: CITED.map((key) => seeded.sources[key]).filter((id): id is string => !!id),
    claimIds: seeded.claims.filter((c) => CLAIM_QUESTIONS.includes(c.question)).map((c) => c.id),
  };
}

/** Publishes the demo summary and its Korean translation: `author` writes and submits, `approver` approves. */
export async function publishDemoSummaries(author: Actor, approver: Actor, seeded: SeededSources) {
  const en = await createSummary(author, { slug: DEMO_SUMMARY_SLUG, language: 'en', content: content('en', seeded) });
  await submitSummary(author, en.id);
  await approveSummary(approver, en.id);
  const ko = await createSummary(author, { slug: DEMO_SUMMARY_SLUG_KO, language: 'ko', translationOf: DEMO_SUMMARY_SLUG, content: content('ko', seeded) });
  await submitSummary(author, ko.id);
  await approveSummary(approver, ko.id);
  return { en: DEMO_SUMMARY_SLUG, ko: DEMO_SUMMARY_SLUG_KO };
}
