/**
 * Page object for the Outpost renderer: navigation, the users list, forms and the status
 * bar, found by role and label. Waits are on visible state the app exposes, never sleeps.
 */
import { expect, type Locator, type Page } from '@playwright/test'

export interface NewUser {
  readonly firstName: string
  readonly lastName: string
  readonly birthDate: string
  readonly nationality: string
  readonly line1: string
  readonly postcode: string
  readonly city: string
  readonly country: string
}

export class OutpostApp {
  constructor(readonly page: Page) {}

  async open(appUrl: string): Promise<void> {
    await this.page.goto(appUrl)
    await expect(this.page.locator('html[data-app-ready="true"]')).toBeAttached()
  }

  nav(name: 'Users' | 'New user' | 'Outbox' | 'Settings' | 'Personen' | 'Neue Person' | 'Postausgang' | 'Einstellungen'): Locator {
    return this.page.getByRole('navigation').getByRole('link', { name, exact: true })
  }

  get userCount(): Locator {
    return this.page.getByTestId('user-count')
  }

  get rows(): Locator {
    return this.page.locator('main li[aria-posinset]')
  }

  row(name: string): Locator {
    return this.rows.filter({ has: this.page.getByRole('link', { name, exact: true }) })
  }

  get connectivity(): Locator {
    return this.page.getByTestId('connectivity')
  }

  /** Waits until the first reconcile filled the list with at least `count` users. */
  async waitForUsers(count: number): Promise<void> {
    await expect
      .poll(async () => Number((await this.userCount.innerText()).replace(/\D/g, '')), { timeout: 120_000 })
      .toBeGreaterThanOrEqual(count)
  }

  async search(text: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Search' }).fill(text)
  }

  async openUser(name: string): Promise<void> {
    await this.nav('Users').click()
    await this.search(name)
    await this.page.getByRole('link', { name, exact: true }).click()
    await expect(this.page.getByRole('heading', { level: 1, name })).toBeVisible()
  }

  field(name: string): Locator {
    return this.page.locator(`dd[data-field="${name}"]`)
  }

  async fillNewUser(user: NewUser): Promise<void> {
    await this.nav('New user').click()
    const page = this.page
    await page.getByLabel('First name').fill(user.firstName)
    await page.getByLabel('Last name').fill(user.lastName)
    await page.getByLabel('Date of birth').fill(user.birthDate)
    await page.getByLabel('Add nationality').selectOption(user.nationality)
    await page.getByRole('button', { name: 'Add nationality' }).click()
    await page.getByLabel('Address line 1').fill(user.line1)
    await page.getByLabel('Postcode').fill(user.postcode)
    await page.getByLabel('City', { exact: true }).fill(user.city)
    await page.getByLabel('Country', { exact: true }).selectOption(user.country)
  }

  /** From a user's detail: requests a new last name with a typed proof link (a passport). */
  async requestNameChange(lastName: string): Promise<void> {
    const page = this.page
    await page.getByRole('button', { name: 'Request data change' }).click()
    await page.getByLabel('Last name').fill(lastName)
    await page.getByLabel('Document type').selectOption('PASSPORT')
    await page.getByLabel('Issued on').fill('2024-05-01')
    await page.getByRole('radio', { name: 'Type a download link' }).check()
    await page.getByLabel('Document download link').fill('https://docs.example/passport.pdf')
    await page.getByRole('button', { name: 'Request change' }).click()
  }

  async save(): Promise<void> {
    await this.page.getByRole('button', { name: 'Save', exact: true }).click()
  }

  saveStatus(): Locator {
    return this.page.locator('[data-outcome]')
  }
}

/** The simulator's fault switch: every API call (and the connectivity probe) fails with 503. */
export async function setApiDown(apiUrl: string, down: boolean): Promise<void> {
  const response = down
    ? await fetch(`${apiUrl}/__sandbox/faults`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ errorRate: 1, errorStatus: 503 }),
      })
    : await fetch(`${apiUrl}/__sandbox/faults`, { method: 'DELETE', headers: { 'content-type': 'application/json' } })
  if (!response.ok) throw new Error(`sandbox faults: ${response.status}`)
}
