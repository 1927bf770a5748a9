import { describe, expect, it } from 'vitest';
import { analyzeChapter } from '../../schema/analysis/analyze-chapter.ts';
import type { Finding } from '../../schema/analysis/finding.ts';
import { chapterDoc, heading, para } from '../helpers/chapter-doc-builder.ts';

// Hand-written paraphrase pairs (one sentence rendered twice, as a translator leaving two
// versions would) and paragraphs whose sentences share topic words without repeating each
// other. The duplication thresholds were set on these, not on the fixture chapter.
const PARAPHRASE_PAIRS: readonly [string, string][] = [
  ['The committee postponed the vote on the new budget until the following spring.',
   'The vote on the new budget was put off by the committee until next spring.'],
  ['Thousands of workers left the countryside for the new industrial towns of the Urals.',
   'Workers by the thousand abandoned the countryside and moved to the new industrial towns in the Urals.'],
  ['The minister resigned after the newspapers published his private correspondence with the ambassador.',
   'After his private letters to the ambassador appeared in the newspapers, the minister resigned.'],
  ['Grain exports continued even while famine spread through the southern provinces.',
   'Even as famine was spreading across the southern provinces, the export of grain continued.'],
  ['The army leadership was purged, and most of its experienced commanders were arrested or shot.',
   'Most experienced commanders were arrested or shot when the leadership of the army was purged.'],
  ['The new constitution promised universal suffrage but left the party\'s monopoly on power untouched.',
   'Universal suffrage was promised by the new constitution, yet the monopoly of the party on power remained untouched.'],
  ['Peasants who refused to join the collective farms were deported to Siberia and Kazakhstan.',
   'Those peasants refusing to enter collective farms were sent into exile in Siberia and Kazakhstan.'],
  ['The delegation returned from Paris convinced that France would not fight for Czechoslovakia.',
   'Convinced that France would never go to war for Czechoslovakia, the delegation came back from Paris.'],
  ['Censorship of the press was tightened in the months before the elections.',
   'In the months preceding the elections, press censorship grew tighter.'],
  ['Many old Bolsheviks were expelled from the party and later disappeared in the camps.',
   'Numerous veteran Bolsheviks were thrown out of the party, only to vanish later in the camps.'],
  ['The plan set production targets that no factory could realistically meet.',
   'No factory could realistically meet the production targets that the plan set.'],
  ['Foreign engineers supervised the construction of the largest steel works in the country.',
   'The construction of the country\'s largest steelworks was supervised by foreign engineers.'],
  ['In the capital, bread queues formed before dawn and lasted well into the afternoon.',
   'Queues for bread formed in the capital before dawn and lasted far into the afternoon.'],
  ['His speech at the congress was interrupted by applause more than forty times.',
   'More than forty times his congress speech was interrupted by applause.'],
  ['The historian argues that the terror was planned from the centre rather than driven by local officials.',
   'According to the historian, the terror was planned centrally and was not driven by local officials.'],
  ['The trade agreement with Britain collapsed within a year of its signature.',
   'Within a year of being signed, the trade agreement with Britain had collapsed.'],
  ['Schools were ordered to teach Russian history again, with an emphasis on national heroes.',
   'Again schools were told to teach the history of Russia, emphasising national heroes.'],
  ['The secret police compiled lists of suspects long before the arrests began.',
   'Long before the arrests started, lists of suspects had been compiled by the secret police.'],
  ['Food rationing was abolished in the cities, but prices rose sharply.',
   'In the cities, rationing of food ended, although prices went up steeply.'],
  ['The treaty obliged both sides to remain neutral if either was attacked by a third power.',
   'Under the treaty, each side was obliged to stay neutral should the other be attacked by a third power.'],
  ['Hundreds of churches were closed and their bells melted down for industry.',
   'Hundreds of church bells were melted down for industry once the churches had been closed.'],
  ['Unemployment disappeared, yet real wages fell below their level of the late 1920s.',
   'While unemployment vanished, real wages dropped below the level of the late 1920s.'],
  ['The leadership feared that a war on two fronts would destroy the regime.',
   'A war fought on two fronts, the leadership feared, would bring about the regime\'s destruction.'],
  ['The press campaign against the engineers prepared public opinion for the trial.',
   'Public opinion was prepared for the trial by a press campaign against the engineers.'],
  ['The provincial archives were opened to researchers only after the collapse of the Soviet Union.',
   'Researchers gained access to the provincial archives only once the Soviet Union had collapsed.'],
  ['Nobody in the Politburo dared to contradict the general secretary in public.',
   'In public, no member of the Politburo dared contradict the general secretary.'],
];

const TOPICAL_PARAGRAPHS: readonly string[][] = [
  [
    'The second plan set lower targets for heavy industry.',
    'Light industry, by contrast, was promised more investment than before.',
    'The targets for heavy industry were nonetheless met earlier than those for consumer goods.',
    'Planners blamed the shortfall in consumer goods on poor harvests.',
  ],
  [
    'The party purged its ranks in 1933.',
    'The purge removed about a fifth of the members.',
    'Those expelled lost their jobs and, often, their housing.',
    'The party later readmitted some of those it had expelled.',
    'Readmission did not restore their former posts.',
  ],
  [
    'Stalin distrusted the government apparatus.',
    'He placed his own people in the ministries.',
    'The government, in turn, tried to keep control of the economy.',
    'Stalin answered by moving Molotov to the head of the government.',
    'From then on the government answered to the Politburo.',
  ],
  [
    'The famine struck Ukraine hardest.',
    'Kazakhstan lost a larger share of its population.',
    'In both regions the authorities kept requisitioning grain.',
    'Grain requisitioning continued in other regions too, though less ruthlessly.',
    'The regime denied that there was any famine at all.',
  ],
  [
    'Foreign visitors saw model factories and model farms.',
    'The factories they were shown had been prepared for their visit.',
    'Some visitors wrote enthusiastic books about the Soviet experiment.',
    'Others, who travelled on their own, wrote about hunger and fear.',
    'Their books were dismissed in the West as hostile propaganda.',
  ],
  [
    'The trial of the engineers opened in Moscow in 1928.',
    'The engineers were accused of sabotage in the coal mines.',
    'Most of the accused confessed in court.',
    'Their confessions were later shown to have been extracted under pressure.',
    'The trial set the pattern for the show trials of the following decade.',
  ],
  [
    'The army was expanded rapidly after 1935.',
    'Its officers were promoted quickly to fill the new posts.',
    'After the purge of 1937 the officer corps was younger and less experienced.',
    'The war with Finland exposed how inexperienced the officers had become.',
    'The army was reorganised once more in 1940.',
  ],
];

function duplications(...paragraphs: string[][]): Finding[] {
  const doc = chapterDoc(heading('A chapter', 1), ...paragraphs.map((sentences) => para(sentences.join(' '))));
  return analyzeChapter(doc, { types: ['duplication'] }).findings;
}

describe('duplication detector', () => {
  it.each(PARAPHRASE_PAIRS.map((pair, i) => [i, ...pair] as const))('finds paraphrase pair %i within a paragraph, later rendering first', (_i, first, second) => {
    const findings = duplications(['The archive holds several folders on this.', first, 'Its authors are not named.', second]);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.quotes.map((q) => q.exact)).toEqual([second, first]);
    expect(findings[0]!.suggestion).toMatchObject({ kind: 'problem', problemType: 'duplication', relatedQuoteIndex: 1 });
  });

  it('finds a pair whose renderings sit in different paragraphs', () => {
    const [first, second] = PARAPHRASE_PAIRS[6]!;
    const findings = duplications(['Collectivisation met resistance.', first], ['Resistance was punished.', second]);
    expect(findings.map((f) => f.quotes.map((q) => q.blockId))).toEqual([['p-2', 'p-1']]);
  });

  it('reports a sentence repeated word for word as a repeated sentence', () => {
    const sentence = 'The plenum of the central committee approved the new statutes without debate.';
    const findings = duplications([sentence, 'Nobody objected.'], ['It met again later that year.', sentence]);
    expect(findings.map((f) => f.rule)).toEqual(['repeated-sentence']);
  });

  const weakFirst = 'At first the system contained checks that kept the party out of state business.';
  const weakSecond = 'At first, safeguards were built into the system so the party could not meddle in the affairs of the state.';

  it('follows a passage rendered twice sentence by sentence to a weaker neighbouring pair', () => {
    const [strongFirst, strongSecond] = PARAPHRASE_PAIRS[4]!;
    const findings = duplications([strongFirst, weakFirst, strongSecond, weakSecond]);
    expect(findings.map((f) => [f.rule, f.quotes[0]!.exact])).toEqual([
      ['paraphrase', strongSecond],
      ['paraphrase-run', weakSecond],
    ]);
  });

  it('does not report the weaker pair on its own', () => {
    expect(duplications([weakFirst, 'The ministries kept their own budgets.', weakSecond])).toEqual([]);
  });

  it('stays quiet on paragraphs whose sentences share topic words', () => {
    expect(duplications(...TOPICAL_PARAGRAPHS.map((p) => [...p]))).toEqual([]);
  });

  it('stays quiet on a chapter of different sentences on neighbouring topics', () => {
    const firsts = PARAPHRASE_PAIRS.map(([first]) => first);
    const seconds = PARAPHRASE_PAIRS.map(([, second]) => second);
    expect(duplications(firsts.slice(0, 13), firsts.slice(13))).toEqual([]);
    expect(duplications(seconds.slice(0, 13), seconds.slice(13))).toEqual([]);
  });
});
