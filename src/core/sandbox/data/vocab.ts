// The templates generated patients are built from: codes, displays, units and typical values as
// they appear in the Synthea records shipped with the sandbox (SNOMED CT, LOINC, RxNorm, CVX).

export const SNOMED = 'http://snomed.info/sct';
export const LOINC = 'http://loinc.org';
export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const CVX = 'http://hl7.org/fhir/sid/cvx';
export const UCUM = 'http://unitsofmeasure.org';

export interface Code { code: string; display: string }

export const GIVEN_MALE = ['James', 'Robert', 'John', 'Michael', 'David', 'William', 'Richard', 'Joseph', 'Thomas', 'Charles',
  'Daniel', 'Matthew', 'Anthony', 'Mark', 'Steven', 'Paul', 'Andrew', 'Joshua', 'Kenneth', 'Kevin', 'Brian', 'George',
  'Timothy', 'Ronald', 'Jason', 'Edward', 'Jeffrey', 'Ryan', 'Jacob', 'Gary', 'Luis', 'Marco', 'Wilfredo', 'Dwain', 'Terence'];
export const GIVEN_FEMALE = ['Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Barbara', 'Susan', 'Jessica', 'Sarah',
  'Karen', 'Lisa', 'Nancy', 'Betty', 'Sandra', 'Margaret', 'Ashley', 'Kimberly', 'Emily', 'Donna', 'Michelle', 'Carol',
  'Amanda', 'Melissa', 'Deborah', 'Stephanie', 'Rebecca', 'Sharon', 'Laura', 'Cynthia', 'Amy', 'Rosa', 'Ana', 'Fannie', 'Catheryn'];
export const FAMILY = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez',
  'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King',
  'Wright', 'Scott', 'Nguyen', 'Hill', 'Flores', 'Green', 'Bergstrom', 'Hoppe', 'Schmeler', 'Streich', 'Waelchi', 'Russel'];
export const STREETS = ['Main St', 'Oak Ave', 'Maple St', 'Cedar Ln', 'Elm St', 'Pine Rd', 'Washington St', 'Park Ave',
  'Lake View Dr', 'Hillside Rd', 'Church St', 'School St', 'Summer St', 'Highland Ave', 'Prospect St', 'Union St'];
export const CITIES: readonly { city: string; zip: string }[] = [
  { city: 'Boston', zip: '02118' }, { city: 'Worcester', zip: '01608' }, { city: 'Springfield', zip: '01103' },
  { city: 'Cambridge', zip: '02139' }, { city: 'Lowell', zip: '01852' }, { city: 'Brockton', zip: '02301' },
  { city: 'Quincy', zip: '02169' }, { city: 'Lynn', zip: '01902' }, { city: 'New Bedford', zip: '02740' },
  { city: 'Fall River', zip: '02720' }, { city: 'Newton', zip: '02458' }, { city: 'Somerville', zip: '02143' },
  { city: 'Pittsfield', zip: '01201' }, { city: 'Holyoke', zip: '01040' }, { city: 'Leominster', zip: '01453' },
];
export const RACES: readonly Code[] = [
  { code: '2106-3', display: 'White' }, { code: '2054-5', display: 'Black or African American' },
  { code: '2028-9', display: 'Asian' }, { code: '2131-1', display: 'Other' },
];
export const ETHNICITIES: readonly Code[] = [
  { code: '2186-5', display: 'Not Hispanic or Latino' }, { code: '2135-2', display: 'Hispanic or Latino' },
];

export type EncounterKind = 'wellness' | 'symptom' | 'emergency' | 'urgent';
export const ENCOUNTER_TYPES: Record<EncounterKind, Code & { cls: 'AMB' | 'EMER'; minutes: number }> = {
  wellness: { code: '162673000', display: 'General examination of patient (procedure)', cls: 'AMB', minutes: 30 },
  symptom: { code: '185345009', display: 'Encounter for symptom', cls: 'AMB', minutes: 20 },
  emergency: { code: '50849002', display: 'Emergency room admission (procedure)', cls: 'EMER', minutes: 90 },
  urgent: { code: '702927004', display: 'Urgent care clinic (procedure)', cls: 'AMB', minutes: 45 },
};
export const WELL_CHILD: Code = { code: '410620009', display: 'Well child visit (procedure)' };

export const MEDS = {
  acetaminophen: { code: '313782', display: 'Acetaminophen 325 MG Oral Tablet' },
  naproxen: { code: '849574', display: 'Naproxen sodium 220 MG Oral Tablet' },
  ibuprofen: { code: '310965', display: 'Ibuprofen 200 MG Oral Tablet' },
  amoxClav: { code: '562251', display: 'Amoxicillin 250 MG / Clavulanate 125 MG Oral Tablet' },
  amoxicillin: { code: '308192', display: 'Amoxicillin 500 MG Oral Tablet' },
  penicillin: { code: '834061', display: 'Penicillin V Potassium 250 MG Oral Tablet' },
  oxycodone: { code: '1049221', display: 'Acetaminophen 325 MG / oxyCODONE Hydrochloride 5 MG Oral Tablet' },
  lisinopril: { code: '314076', display: 'lisinopril 10 MG Oral Tablet' },
  hctz: { code: '310798', display: 'Hydrochlorothiazide 25 MG Oral Tablet' },
  metformin: { code: '860975', display: '24 HR Metformin hydrochloride 500 MG Extended Release Oral Tablet' },
  simvastatin: { code: '312961', display: 'Simvastatin 20 MG Oral Tablet' },
  albuterol: { code: '745679', display: '200 ACTUAT Albuterol 0.09 MG/ACTUAT Metered Dose Inhaler' },
  fluticasone: { code: '895994', display: '120 ACTUAT Fluticasone propionate 0.044 MG/ACTUAT Metered Dose Inhaler' },
  loratadine: { code: '311372', display: 'Loratadine 10 MG Oral Tablet' },
  ferrous: { code: '310325', display: 'Ferrous sulfate 325 MG Oral Tablet' },
} as const satisfies Record<string, Code>;
export type MedKey = keyof typeof MEDS;

export const PROCEDURES = {
  reconciliation: { code: '430193006', display: 'Medication Reconciliation (procedure)' },
  throatCulture: { code: '117015009', display: 'Throat culture (procedure)' },
  suture: { code: '288086009', display: 'Suture open wound' },
  tetanus: { code: '384700001', display: 'Injection of tetanus antitoxin' },
  spirometry: { code: '23426006', display: 'Measurement of respiratory function (procedure)' },
  xrayWrist: { code: '60027007', display: 'X-ray or wrist' },
  immobilization: { code: '274474001', display: 'Bone immobilization' },
  depressionScreen: { code: '171207006', display: 'Depression screening (procedure)' },
  dentalExtraction: { code: '65546002', display: 'Extraction of wisdom tooth' },
} as const satisfies Record<string, Code>;
export type ProcedureKey = keyof typeof PROCEDURES;

export interface ConditionTemplate extends Code {
  kind: 'chronic' | 'acute' | 'injury';
  minAge: number;
  meds: MedKey[];
  procedures: ProcedureKey[];
  /** days until resolved; chronic conditions stay active */
  days?: [number, number];
}
export const CONDITIONS: readonly ConditionTemplate[] = [
  { code: '59621000', display: 'Hypertension', kind: 'chronic', minAge: 30, meds: ['lisinopril', 'hctz'], procedures: ['reconciliation'] },
  { code: '44054006', display: 'Diabetes', kind: 'chronic', minAge: 35, meds: ['metformin'], procedures: ['reconciliation'] },
  { code: '15777000', display: 'Prediabetes', kind: 'chronic', minAge: 25, meds: [], procedures: [] },
  { code: '55822004', display: 'Hyperlipidemia', kind: 'chronic', minAge: 35, meds: ['simvastatin'], procedures: ['reconciliation'] },
  { code: '195967001', display: 'Asthma', kind: 'chronic', minAge: 3, meds: ['albuterol', 'fluticasone'], procedures: ['spirometry'] },
  { code: '162864005', display: 'Body mass index 30+ - obesity (finding)', kind: 'chronic', minAge: 18, meds: [], procedures: [] },
  { code: '271737000', display: 'Anemia (disorder)', kind: 'chronic', minAge: 12, meds: ['ferrous'], procedures: [] },
  { code: '40055000', display: 'Chronic sinusitis (disorder)', kind: 'chronic', minAge: 12, meds: ['loratadine'], procedures: [] },
  { code: '444814009', display: 'Viral sinusitis (disorder)', kind: 'acute', minAge: 0, meds: ['acetaminophen'], procedures: [], days: [7, 21] },
  { code: '195662009', display: 'Acute viral pharyngitis (disorder)', kind: 'acute', minAge: 0, meds: ['ibuprofen'], procedures: ['throatCulture'], days: [5, 14] },
  { code: '10509002', display: 'Acute bronchitis (disorder)', kind: 'acute', minAge: 0, meds: ['acetaminophen'], procedures: [], days: [7, 28] },
  { code: '43878008', display: 'Streptococcal sore throat (disorder)', kind: 'acute', minAge: 3, meds: ['penicillin'], procedures: ['throatCulture'], days: [7, 14] },
  { code: '65363002', display: 'Otitis media', kind: 'acute', minAge: 0, meds: ['amoxicillin'], procedures: [], days: [7, 21] },
  { code: '283385000', display: 'Laceration of thigh', kind: 'injury', minAge: 4, meds: ['ibuprofen'], procedures: ['suture', 'tetanus'], days: [14, 35] },
  { code: '403190006', display: 'First degree burn', kind: 'injury', minAge: 2, meds: ['naproxen'], procedures: [], days: [7, 21] },
  { code: '263102004', display: 'Fracture subluxation of wrist', kind: 'injury', minAge: 5, meds: ['oxycodone'], procedures: ['xrayWrist', 'immobilization'], days: [42, 84] },
  { code: '39848009', display: 'Whiplash injury to neck', kind: 'injury', minAge: 16, meds: ['naproxen'], procedures: [], days: [14, 60] },
  { code: '196416002', display: 'Impacted molars', kind: 'injury', minAge: 16, meds: ['amoxClav'], procedures: ['dentalExtraction'], days: [7, 14] },
];

export const VACCINES = {
  flu: { code: '140', display: 'Influenza, seasonal, injectable, preservative free' },
  td: { code: '113', display: 'Td (adult) preservative free' },
  hepB: { code: '08', display: 'Hep B, adolescent or pediatric' },
  dtap: { code: '20', display: 'DTaP' },
  ipv: { code: '10', display: 'IPV' },
  hib: { code: '49', display: 'Hib (PRP-OMP)' },
  pcv: { code: '133', display: 'Pneumococcal conjugate PCV 13' },
  mmr: { code: '03', display: 'MMR' },
  varicella: { code: '21', display: 'varicella' },
  mening: { code: '114', display: 'meningococcal MCV4P' },
  zoster: { code: '121', display: 'zoster' },
} as const satisfies Record<string, Code>;
export type VaccineKey = keyof typeof VACCINES;

export interface LabTest extends Code { unit: string; mean: number; sd: number; decimals: number }
export interface Panel extends Code { minAge: number; tests: LabTest[] }
export const PANELS: readonly Panel[] = [
  { code: '58410-2', display: 'Complete blood count (hemogram) panel - Blood by Automated count', minAge: 0, tests: [
    { code: '6690-2', display: 'Leukocytes [#/volume] in Blood by Automated count', unit: '10*3/uL', mean: 7.2, sd: 1.6, decimals: 2 },
    { code: '789-8', display: 'Erythrocytes [#/volume] in Blood by Automated count', unit: '10*6/uL', mean: 4.8, sd: 0.4, decimals: 2 },
    { code: '718-7', display: 'Hemoglobin [Mass/volume] in Blood', unit: 'g/dL', mean: 14.1, sd: 1.3, decimals: 1 },
    { code: '4544-3', display: 'Hematocrit [Volume Fraction] of Blood by Automated count', unit: '%', mean: 42, sd: 3.5, decimals: 1 },
    { code: '787-2', display: 'MCV [Entitic volume] by Automated count', unit: 'fL', mean: 90, sd: 4.5, decimals: 1 },
    { code: '777-3', display: 'Platelets [#/volume] in Blood by Automated count', unit: '10*3/uL', mean: 260, sd: 55, decimals: 0 },
  ] },
  { code: '51990-0', display: 'Basic Metabolic Panel', minAge: 18, tests: [
    { code: '2339-0', display: 'Glucose', unit: 'mg/dL', mean: 92, sd: 12, decimals: 1 },
    { code: '6299-2', display: 'Urea Nitrogen', unit: 'mg/dL', mean: 14, sd: 3.5, decimals: 1 },
    { code: '38483-4', display: 'Creatinine', unit: 'mg/dL', mean: 0.95, sd: 0.18, decimals: 2 },
    { code: '49765-1', display: 'Calcium', unit: 'mg/dL', mean: 9.4, sd: 0.35, decimals: 2 },
    { code: '2947-0', display: 'Sodium', unit: 'mmol/L', mean: 140, sd: 2, decimals: 1 },
    { code: '6298-4', display: 'Potassium', unit: 'mmol/L', mean: 4.2, sd: 0.3, decimals: 2 },
    { code: '2069-3', display: 'Chloride', unit: 'mmol/L', mean: 103, sd: 2.5, decimals: 1 },
    { code: '20565-8', display: 'Carbon Dioxide', unit: 'mmol/L', mean: 25, sd: 2, decimals: 1 },
  ] },
  { code: '57698-3', display: 'Lipid Panel', minAge: 30, tests: [
    { code: '2093-3', display: 'Total Cholesterol', unit: 'mg/dL', mean: 190, sd: 28, decimals: 1 },
    { code: '2571-8', display: 'Triglycerides', unit: 'mg/dL', mean: 130, sd: 35, decimals: 1 },
    { code: '18262-6', display: 'Low Density Lipoprotein Cholesterol', unit: 'mg/dL', mean: 110, sd: 25, decimals: 1 },
    { code: '2085-9', display: 'High Density Lipoprotein Cholesterol', unit: 'mg/dL', mean: 55, sd: 12, decimals: 1 },
  ] },
  { code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', minAge: 35, tests: [
    { code: '4548-4', display: 'Hemoglobin A1c/Hemoglobin.total in Blood', unit: '%', mean: 5.7, sd: 0.5, decimals: 2 },
  ] },
];

export interface AllergyTemplate extends Code {
  category: 'food' | 'medication' | 'environment';
  criticality: 'low' | 'high';
  reaction: Code;
}
export const ALLERGIES: readonly AllergyTemplate[] = [
  { code: '91935009', display: 'Allergy to peanuts', category: 'food', criticality: 'high', reaction: { code: '39579001', display: 'Anaphylaxis' } },
  { code: '300913006', display: 'Shellfish allergy', category: 'food', criticality: 'high', reaction: { code: '271807003', display: 'Eruption of skin' } },
  { code: '91936005', display: 'Allergy to penicillin', category: 'medication', criticality: 'high', reaction: { code: '247472004', display: 'Wheal' } },
  { code: '300916003', display: 'Latex allergy', category: 'environment', criticality: 'low', reaction: { code: '878820003', display: 'Rhinoconjunctivitis' } },
  { code: '232350006', display: 'House dust mite allergy', category: 'environment', criticality: 'low', reaction: { code: '76067001', display: 'Sneezing' } },
  { code: '418689008', display: 'Allergy to grass pollen', category: 'environment', criticality: 'low', reaction: { code: '21626009', display: 'Cutaneous hypersensitivity' } },
  { code: '232347008', display: 'Dander (animal) allergy', category: 'environment', criticality: 'low', reaction: { code: '49727002', display: 'Cough' } },
  { code: '417532002', display: 'Allergy to fish', category: 'food', criticality: 'high', reaction: { code: '271807003', display: 'Eruption of skin' } },
];
