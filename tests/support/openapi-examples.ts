/**
 * Reads the provider's OpenAPI extract (docs/api) and yields every request/response
 * example with where it stands, so the schema suite can prove each one parses.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export interface SpecExample {
  /** e.g. `POST /users request [BYOL]` */
  readonly label: string
  readonly path: string
  readonly method: string
  readonly where: 'request' | 'response'
  readonly status?: string
  readonly value: unknown
}

const SPEC_FILE = fileURLToPath(new URL('../../docs/api/upvest-users-openapi-1.9.0.yaml', import.meta.url))

type Node = Record<string, unknown>
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value)

function examplesOf(media: Node): { name: string; value: unknown }[] {
  const found: { name: string; value: unknown }[] = []
  if ('example' in media) found.push({ name: 'example', value: media.example })
  if (isNode(media.examples)) {
    for (const [name, example] of Object.entries(media.examples)) if (isNode(example)) found.push({ name, value: example.value })
  }
  return found
}

function contentExamples(holder: unknown): { name: string; value: unknown }[] {
  if (!isNode(holder) || !isNode(holder.content)) return []
  return Object.values(holder.content).flatMap((media) => (isNode(media) ? examplesOf(media) : []))
}

export function loadSpec(): Node {
  const doc: unknown = parse(readFileSync(SPEC_FILE, 'utf8'))
  if (!isNode(doc)) throw new Error('the OpenAPI extract is not a mapping')
  return doc
}

export function specExamples(doc: Node = loadSpec()): SpecExample[] {
  const examples: SpecExample[] = []
  const visit = (operations: Node, pathName: string) => {
    for (const [method, operation] of Object.entries(operations)) {
      if (!isNode(operation) || method === 'parameters') continue
      for (const { name, value } of contentExamples(operation.requestBody)) {
        examples.push({ label: `${method.toUpperCase()} ${pathName} request [${name}]`, path: pathName, method, where: 'request', value })
      }
      if (!isNode(operation.responses)) continue
      for (const [status, response] of Object.entries(operation.responses)) {
        for (const { name, value } of contentExamples(response)) {
          examples.push({ label: `${method.toUpperCase()} ${pathName} ${status} [${name}]`, path: pathName, method, where: 'response', status, value })
        }
      }
    }
  }
  for (const [pathName, operations] of Object.entries(isNode(doc.paths) ? doc.paths : {})) if (isNode(operations)) visit(operations, pathName)
  for (const [name, operations] of Object.entries(isNode(doc['x-webhooks']) ? doc['x-webhooks'] : {})) if (isNode(operations)) visit(operations, `webhook:${name}`)
  const responses = isNode(doc.components) && isNode(doc.components.responses) ? doc.components.responses : {}
  for (const [name, response] of Object.entries(responses)) {
    for (const { name: exampleName, value } of contentExamples(response)) {
      examples.push({ label: `components ${name} [${exampleName}]`, path: `#/components/responses/${name}`, method: 'any', where: 'response', value })
    }
  }
  return examples
}
