import { z } from 'zod';
import { ageBand, consentMethod, housingKind, iloIndicator, injurySeverity, medicalCare, outcome, sex, siteType, tri, visaType } from '@/db/schema';

// The value lists are the database's enums (db/schema/testimonies.ts): one source, labels here.

/** The ILO's eleven indicators of forced labour, in the ILO's order. */
export const ILO_INDICATORS = [
  { key: 'abuse_of_vulnerability', label: 'Abuse of vulnerability' },
  { key: 'deception', label: 'Deception' },
  { key: 'restriction_of_movement', label: 'Restriction of movement' },
  { key: 'isolation', label: 'Isolation' },
  { key: 'physical_and_sexual_violence', label: 'Physical and sexual violence' },
  { key: 'intimidation_and_threats', label: 'Intimidation and threats' },
  { key: 'retention_of_identity_documents', label: 'Retention of identity documents' },
  { key: 'withholding_of_wages', label: 'Withholding of wages' },
  { key: 'debt_bondage', label: 'Debt bondage' },
  { key: 'abusive_working_and_living_conditions', label: 'Abusive working and living conditions' },
  { key: 'excessive_overtime', label: 'Excessive overtime' },
] as const satisfies readonly { key: (typeof iloIndicator.enumValues)[number]; label: string }[]; // keys checked against the enum
export type IloIndicator = (typeof ILO_INDICATORS)[number]['key'];
export const ILO_INDICATOR_KEYS = ILO_INDICATORS.map((i) => i.key) as [IloIndicator, ...IloIndicator[]];
export const IloIndicator = z.enum(ILO_INDICATOR_KEYS);

export const SITE_TYPES = siteType.enumValues;
export const SiteType = z.enum(SITE_TYPES);
export type SiteType = z.infer<typeof SiteType>;

// 'student' and 'trainee' matter: they are the statuses used to get around the UN ban on North Korean workers.
export const VISA_TYPES = visaType.enumValues;
export const VisaType = z.enum(VISA_TYPES);
export type VisaType = z.infer<typeof VisaType>;

export const OUTCOMES = outcome.enumValues;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

export const HOUSING_KINDS = housingKind.enumValues;
export const HousingKind = z.enum(HOUSING_KINDS);
export type HousingKind = z.infer<typeof HousingKind>;

export const INJURY_KINDS = ['fall', 'crush', 'cut', 'burn', 'electric_shock', 'chemical', 'heat_or_cold', 'illness', 'assault', 'other'] as const;
export const InjuryKind = z.enum(INJURY_KINDS);
export type InjuryKind = z.infer<typeof InjuryKind>;

export const INJURY_SEVERITIES = injurySeverity.enumValues;
export const InjurySeverity = z.enum(INJURY_SEVERITIES);
export type InjurySeverity = z.infer<typeof InjurySeverity>;

export const MEDICAL_CARE = medicalCare.enumValues;
export const MedicalCare = z.enum(MEDICAL_CARE);
export type MedicalCare = z.infer<typeof MedicalCare>;

/** Yes / no / unknown: for the indicators and the yes-or-no facts a worker may not know or say. */
export const TRI = tri.enumValues;
export const Tri = z.enum(TRI);
export type Tri = z.infer<typeof Tri>;

// Bands, not ages: an exact age with a site and a year can single out a worker.
export const AGE_BANDS = ageBand.enumValues;
export const AgeBand = z.enum(AGE_BANDS);
export type AgeBand = z.infer<typeof AgeBand>;

export const SEX = sex.enumValues;
export const Sex = z.enum(SEX);
export type Sex = z.infer<typeof Sex>;

export const CONSENT_SCOPES = ['internal', 'research', 'public_aggregate', 'public_quote'] as const;
export const ConsentScope = z.enum(CONSENT_SCOPES);
export type ConsentScope = z.infer<typeof ConsentScope>;

export const CONSENT_METHODS = consentMethod.enumValues;
export const ConsentMethod = z.enum(CONSENT_METHODS);
export type ConsentMethod = z.infer<typeof ConsentMethod>;

/** North Korea's nine provinces and four special cities (Pyongyang as the capital). */
export const NK_PROVINCES = [
  { key: 'pyongyang', name: 'Pyongyang' },
  { key: 'rason', name: 'Rason' },
  { key: 'nampo', name: 'Nampo' },
  { key: 'kaesong', name: 'Kaesong' },
  { key: 'north_hamgyong', name: 'North Hamgyong' },
  { key: 'south_hamgyong', name: 'South Hamgyong' },
  { key: 'ryanggang', name: 'Ryanggang' },
  { key: 'chagang', name: 'Chagang' },
  { key: 'north_pyongan', name: 'North Pyongan' },
  { key: 'south_pyongan', name: 'South Pyongan' },
  { key: 'north_hwanghae', name: 'North Hwanghae' },
  { key: 'south_hwanghae', name: 'South Hwanghae' },
  { key: 'kangwon', name: 'Kangwon' },
] as const;
export type NkProvince = (typeof NK_PROVINCES)[number]['key'];
export const NK_PROVINCE_KEYS = NK_PROVINCES.map((p) => p.key) as [NkProvince, ...NkProvince[]];
export const NkProvince = z.enum(NK_PROVINCE_KEYS);
