import { z } from 'zod';
import { federalDistrict } from '@/db/schema';

// The eight districts are the database enum's values (db/schema/testimonies.ts) less 'unknown'.
export type FederalDistrict = Exclude<(typeof federalDistrict.enumValues)[number], 'unknown'>;
export const FEDERAL_DISTRICTS = federalDistrict.enumValues.filter((d): d is FederalDistrict => d !== 'unknown');

// Work in occupied Ukrainian territory (Crimea, Sevastopol, Donetsk, Luhansk, Zaporizhzhia, Kherson)
// is recorded as 'other': the list below is Russia's internationally recognised federal subjects only.
export const OTHER_REGION = 'other';
export const UNKNOWN_DISTRICT = 'unknown';

export type FederalSubject<Code extends string = string> = { code: Code; name: string; district: FederalDistrict };

const subject = <Code extends string>(code: Code, name: string, district: FederalDistrict): FederalSubject<Code> => ({
  code,
  name,
  district,
});

// District assignment as of the 2018 decree that moved Buryatia and Zabaykalsky Krai to the Far East.
export const FEDERAL_SUBJECTS = [
  subject('belgorod-oblast', 'Belgorod Oblast', 'central'),
  subject('bryansk-oblast', 'Bryansk Oblast', 'central'),
  subject('vladimir-oblast', 'Vladimir Oblast', 'central'),
  subject('voronezh-oblast', 'Voronezh Oblast', 'central'),
  subject('ivanovo-oblast', 'Ivanovo Oblast', 'central'),
  subject('kaluga-oblast', 'Kaluga Oblast', 'central'),
  subject('kostroma-oblast', 'Kostroma Oblast', 'central'),
  subject('kursk-oblast', 'Kursk Oblast', 'central'),
  subject('lipetsk-oblast', 'Lipetsk Oblast', 'central'),
  subject('moscow', 'Moscow', 'central'),
  subject('moscow-oblast', 'Moscow Oblast', 'central'),
  subject('oryol-oblast', 'Oryol Oblast', 'central'),
  subject('ryazan-oblast', 'Ryazan Oblast', 'central'),
  subject('smolensk-oblast', 'Smolensk Oblast', 'central'),
  subject('tambov-oblast', 'Tambov Oblast', 'central'),
  subject('tver-oblast', 'Tver Oblast', 'central'),
  subject('tula-oblast', 'Tula Oblast', 'central'),
  subject('yaroslavl-oblast', 'Yaroslavl Oblast', 'central'),

  subject('karelia', 'Republic of Karelia', 'northwestern'),
  subject('komi', 'Komi Republic', 'northwestern'),
  subject('arkhangelsk-oblast', 'Arkhangelsk Oblast', 'northwestern'),
  subject('nenets-ao', 'Nenets Autonomous Okrug', 'northwestern'),
  subject('vologda-oblast', 'Vologda Oblast', 'northwestern'),
  subject('kaliningrad-oblast', 'Kaliningrad Oblast', 'northwestern'),
  subject('leningrad-oblast', 'Leningrad Oblast', 'northwestern'),
  subject('murmansk-oblast', 'Murmansk Oblast', 'northwestern'),
  subject('novgorod-oblast', 'Novgorod Oblast', 'northwestern'),
  subject('pskov-oblast', 'Pskov Oblast', 'northwestern'),
  subject('saint-petersburg', 'Saint Petersburg', 'northwestern'),

  subject('adygea', 'Republic of Adygea', 'southern'),
  subject('kalmykia', 'Republic of Kalmykia', 'southern'),
  subject('krasnodar-krai', 'Krasnodar Krai', 'southern'),
  subject('astrakhan-oblast', 'Astrakhan Oblast', 'southern'),
  subject('volgograd-oblast', 'Volgograd Oblast', 'southern'),
  subject('rostov-oblast', 'Rostov Oblast', 'southern'),

  subject('dagestan', 'Republic of Dagestan', 'north-caucasian'),
  subject('ingushetia', 'Republic of Ingushetia', 'north-caucasian'),
  subject('kabardino-balkaria', 'Kabardino-Balkar Republic', 'north-caucasian'),
  subject('karachay-cherkessia', 'Karachay-Cherkess Republic', 'north-caucasian'),
  subject('north-ossetia', 'Republic of North Ossetia–Alania', 'north-caucasian'),
  subject('chechnya', 'Chechen Republic', 'north-caucasian'),
  subject('stavropol-krai', 'Stavropol Krai', 'north-caucasian'),

  subject('bashkortostan', 'Republic of Bashkortostan', 'volga'),
  subject('mari-el', 'Mari El Republic', 'volga'),
  subject('mordovia', 'Republic of Mordovia', 'volga'),
  subject('tatarstan', 'Republic of Tatarstan', 'volga'),
  subject('udmurtia', 'Udmurt Republic', 'volga'),
  subject('chuvashia', 'Chuvash Republic', 'volga'),
  subject('perm-krai', 'Perm Krai', 'volga'),
  subject('kirov-oblast', 'Kirov Oblast', 'volga'),
  subject('nizhny-novgorod-oblast', 'Nizhny Novgorod Oblast', 'volga'),
  subject('orenburg-oblast', 'Orenburg Oblast', 'volga'),
  subject('penza-oblast', 'Penza Oblast', 'volga'),
  subject('samara-oblast', 'Samara Oblast', 'volga'),
  subject('saratov-oblast', 'Saratov Oblast', 'volga'),
  subject('ulyanovsk-oblast', 'Ulyanovsk Oblast', 'volga'),

  subject('kurgan-oblast', 'Kurgan Oblast', 'ural'),
  subject('sverdlovsk-oblast', 'Sverdlovsk Oblast', 'ural'),
  subject('tyumen-oblast', 'Tyumen Oblast', 'ural'),
  subject('chelyabinsk-oblast', 'Chelyabinsk Oblast', 'ural'),
  subject('khanty-mansi-ao', 'Khanty-Mansi Autonomous Okrug – Yugra', 'ural'),
  subject('yamalo-nenets-ao', 'Yamalo-Nenets Autonomous Okrug', 'ural'),

  subject('altai-republic', 'Altai Republic', 'siberian'),
  subject('tuva', 'Tuva Republic', 'siberian'),
  subject('khakassia', 'Republic of Khakassia', 'siberian'),
  subject('altai-krai', 'Altai Krai', 'siberian'),
  subject('krasnoyarsk-krai', 'Krasnoyarsk Krai', 'siberian'),
  subject('irkutsk-oblast', 'Irkutsk Oblast', 'siberian'),
  subject('kemerovo-oblast', 'Kemerovo Oblast – Kuzbass', 'siberian'),
  subject('novosibirsk-oblast', 'Novosibirsk Oblast', 'siberian'),
  subject('omsk-oblast', 'Omsk Oblast', 'siberian'),
  subject('tomsk-oblast', 'Tomsk Oblast', 'siberian'),

  subject('buryatia', 'Republic of Buryatia', 'far-eastern'),
  subject('sakha', 'Sakha Republic (Yakutia)', 'far-eastern'),
  subject('zabaykalsky-krai', 'Zabaykalsky Krai', 'far-eastern'),
  subject('kamchatka-krai', 'Kamchatka Krai', 'far-eastern'),
  subject('primorsky-krai', 'Primorsky Krai', 'far-eastern'),
  subject('khabarovsk-krai', 'Khabarovsk Krai', 'far-eastern'),
  subject('amur-oblast', 'Amur Oblast', 'far-eastern'),
  subject('magadan-oblast', 'Magadan Oblast', 'far-eastern'),
  subject('sakhalin-oblast', 'Sakhalin Oblast', 'far-eastern'),
  subject('jewish-ao', 'Jewish Autonomous Oblast', 'far-eastern'),
  subject('chukotka-ao', 'Chukotka Autonomous Okrug', 'far-eastern'),
] as const satisfies readonly FederalSubject[];

export type FederalSubjectCode = (typeof FEDERAL_SUBJECTS)[number]['code'];
export const REGION_CODES: readonly FederalSubjectCode[] = FEDERAL_SUBJECTS.map((s) => s.code);

const byCode = new Map<string, FederalSubject>(FEDERAL_SUBJECTS.map((s) => [s.code, s]));

export const RegionCode = z.enum([...REGION_CODES, OTHER_REGION]);
export type RegionCode = z.infer<typeof RegionCode>;

export function regionOf(code: string): FederalSubject | undefined {
  return byCode.get(code);
}

/** The federal district of a region; 'unknown' for 'other' (and for any code the list does not hold). */
export function districtOf(code: RegionCode): FederalDistrict | typeof UNKNOWN_DISTRICT {
  return byCode.get(code)?.district ?? UNKNOWN_DISTRICT;
}
