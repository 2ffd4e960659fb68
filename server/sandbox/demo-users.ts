/**
 * Deterministic demo users for `--seed N`: German and other European names, streets,
 * postcodes and cities that look real, spread over the past two years. Same seed, same users.
 */
import type { CountryCode } from '../../shared/countries'
import type { Salutation, Title, User } from '../../shared/schemas'
import { isoFromMicros } from './clock'
import { createRandom } from './random'

interface Place {
  readonly city: string
  readonly postcode: () => string
  readonly country: CountryCode
  readonly streets: readonly string[]
  readonly state?: string
}

const digits = (random: ReturnType<typeof createRandom>, n: number, first = 0) =>
  String(random.int(first, 9)) + Array.from({ length: n - 1 }, () => random.int(0, 9)).join('')

const MALE = [
  'Lukas',
  'Jonas',
  'Felix',
  'Maximilian',
  'Paul',
  'Leon',
  'Tobias',
  'Matthias',
  'Stefan',
  'Andreas',
  'Jan',
  'Niklas',
  'Florian',
  'Sebastian',
  'Moritz',
  'Pieter',
  'Luca',
  'Mateo',
  'Tomasz',
  'Lars',
]
const FEMALE = [
  'Anna',
  'Lena',
  'Sophie',
  'Marie',
  'Laura',
  'Julia',
  'Hannah',
  'Katharina',
  'Lea',
  'Sabine',
  'Claudia',
  'Johanna',
  'Emma',
  'Clara',
  'Ines',
  'Giulia',
  'Sanne',
  'Agnieszka',
  'Elif',
  'Camille',
]
const LAST = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Schäfer',
  'Koch',
  'Bauer',
  'Richter',
  'Klein',
  'Wolf',
  'Schröder',
  'Neumann',
  'Schwarz',
  'Zimmermann',
  'Braun',
  'Krüger',
  'Hofmann',
  'Hartmann',
  'Lange',
  'Schmitt',
  'Werner',
  'Krause',
  'Meier',
  'Lehmann',
  'de Vries',
  'Jansen',
  'Rossi',
  'Bianchi',
  'García',
  'Dubois',
  'Nowak',
  'Kowalski',
  'Yılmaz',
  'Novák',
]
const BIRTH_CITIES: ReadonlyArray<readonly [string, CountryCode]> = [
  ['Berlin', 'DE'],
  ['Hamburg', 'DE'],
  ['München', 'DE'],
  ['Köln', 'DE'],
  ['Leipzig', 'DE'],
  ['Dresden', 'DE'],
  ['Stuttgart', 'DE'],
  ['Wien', 'AT'],
  ['Graz', 'AT'],
  ['Zürich', 'CH'],
  ['Amsterdam', 'NL'],
  ['Milano', 'IT'],
  ['Kraków', 'PL'],
  ['Lyon', 'FR'],
  ['Istanbul', 'TR'],
]

const DE_STREETS = [
  'Hauptstraße',
  'Bahnhofstraße',
  'Gartenweg',
  'Lindenallee',
  'Schillerstraße',
  'Goethestraße',
  'Am Markt',
  'Kirchgasse',
  'Bergstraße',
  'Rosenweg',
  'Mühlenweg',
  'Friedrichstraße',
]

function places(random: ReturnType<typeof createRandom>): readonly Place[] {
  const dePostcode = (first: number) => () => `${first}${digits(random, 4)}`
  const list: Place[] = [
    {
      city: 'Berlin',
      postcode: dePostcode(1),
      country: 'DE',
      streets: [...DE_STREETS, 'Kastanienallee', 'Oranienstraße'],
      state: 'Berlin',
    },
    { city: 'Hamburg', postcode: dePostcode(2), country: 'DE', streets: [...DE_STREETS, 'Elbchaussee'], state: 'Hamburg' },
    { city: 'München', postcode: dePostcode(8), country: 'DE', streets: [...DE_STREETS, 'Leopoldstraße'], state: 'Bayern' },
    { city: 'Köln', postcode: dePostcode(5), country: 'DE', streets: [...DE_STREETS, 'Ehrenstraße'], state: 'Nordrhein-Westfalen' },
    { city: 'Frankfurt am Main', postcode: dePostcode(6), country: 'DE', streets: [...DE_STREETS, 'Zeil'], state: 'Hessen' },
    { city: 'Leipzig', postcode: dePostcode(0), country: 'DE', streets: [...DE_STREETS, 'Karl-Liebknecht-Straße'], state: 'Sachsen' },
    { city: 'Stuttgart', postcode: dePostcode(7), country: 'DE', streets: [...DE_STREETS, 'Königstraße'], state: 'Baden-Württemberg' },
    {
      city: 'Wien',
      postcode: () => `1${digits(random, 2)}0`,
      country: 'AT',
      streets: ['Mariahilfer Straße', 'Praterstraße', 'Landstraßer Hauptstraße'],
    },
    {
      city: 'Zürich',
      postcode: () => `80${digits(random, 2)}`,
      country: 'CH',
      streets: ['Bahnhofstrasse', 'Langstrasse', 'Seefeldstrasse'],
    },
    {
      city: 'Amsterdam',
      postcode: () => `10${digits(random, 2)} ${String.fromCharCode(65 + random.int(0, 25))}${String.fromCharCode(65 + random.int(0, 25))}`,
      country: 'NL',
      streets: ['Prinsengracht', 'Keizersgracht', 'Overtoom'],
    },
    {
      city: 'Paris',
      postcode: () => `750${String(random.int(1, 20)).padStart(2, '0')}`,
      country: 'FR',
      streets: ['Rue de Rivoli', 'Boulevard Voltaire', 'Rue Oberkampf'],
    },
    {
      city: 'Warszawa',
      postcode: () => `0${random.int(0, 4)}-${digits(random, 3)}`,
      country: 'PL',
      streets: ['ul. Marszałkowska', 'ul. Nowy Świat', 'ul. Puławska'],
    },
  ]
  return list
}

const DAY_MS = 86_400_000
const DEMO_SPAN_DAYS = 730
const MICROS_PER_MS = 1000

/** Today 00:00 UTC: the same seed gives the same users, timestamps included, all day. */
function startOfTodayUtc(): number {
  return Math.floor(Date.now() / DAY_MS) * DAY_MS
}

/**
 * `count` users; `seed` picks the variant. Creation times run from two years before
 * `untilMs` in even steps, so paging by created_at follows the generation order.
 */
export function generateDemoUsers(count: number, seed: number, untilMs: number = startOfTodayUtc()): User[] {
  const random = createRandom(seed)
  const placeList = places(random)
  const startMs = untilMs - DEMO_SPAN_DAYS * DAY_MS
  const stepMicros = Math.max(1, Math.floor(((DEMO_SPAN_DAYS * DAY_MS) / Math.max(count, 1)) * MICROS_PER_MS))
  const users: User[] = []
  for (let i = 0; i < count; i += 1) {
    const female = random.next() < 0.5
    const first = random.pick(female ? FEMALE : MALE)
    const last = random.pick(LAST)
    const salutation: Salutation = random.next() < 0.05 ? 'SALUTATION_DIVERSE' : female ? 'SALUTATION_FEMALE' : 'SALUTATION_MALE'
    const title: Title = random.next() < 0.9 ? '' : random.pick(['DR', 'PROF', 'DIPL_ING'] as const)
    const place = random.pick(placeList)
    const [birthCity, birthCountry] = random.pick(BIRTH_CITIES)
    const createdMicros = startMs * MICROS_PER_MS + i * stepMicros
    const updatedMicros =
      random.next() < 0.2 ? Math.min(createdMicros + random.int(1, 90) * DAY_MS * MICROS_PER_MS, untilMs * MICROS_PER_MS) : createdMicros
    const address = {
      address_line1: `${random.pick(place.streets)} ${random.int(1, 180)}`,
      ...(random.next() < 0.15 ? { address_line2: `${random.int(1, 5)}. OG` } : {}),
      postcode: place.postcode(),
      city: place.city,
      ...(place.state === undefined ? {} : { state: place.state }),
      country: place.country,
    }
    const birthYear = random.int(1945, 2004)
    const status = random.next() < 0.03 ? 'OFFBOARDED' : 'ACTIVE'
    users.push({
      id: random.uuid(),
      created_at: isoFromMicros(createdMicros),
      updated_at: isoFromMicros(updatedMicros),
      first_name: first,
      last_name: last,
      salutation,
      title,
      birth_date: `${birthYear}-${String(random.int(1, 12)).padStart(2, '0')}-${String(random.int(1, 28)).padStart(2, '0')}`,
      birth_city: birthCity,
      birth_country: birthCountry,
      nationalities: birthCountry === place.country || random.next() < 0.5 ? [birthCountry] : [birthCountry, place.country],
      address,
      postal_address: address,
      status,
    })
  }
  return users
}
