/**
 * Checks the commands a GitHub Actions workflow runs against this repository: every
 * `npm run x` / `npm test` names a script in package.json, every `npx tool` a binary a
 * declared dependency ships, and anything else is a known shell or toolchain command.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { parseUnknown } from '../../shared/parse'

const StepSchema = z.object({ name: z.string().optional(), uses: z.string().optional(), run: z.string().optional() }).loose()
export const WorkflowSchema = z
  .object({ jobs: z.record(z.string(), z.object({ 'runs-on': z.string(), steps: z.array(StepSchema) }).loose()) })
  .loose()
export type Workflow = z.infer<typeof WorkflowSchema>

const PackageSchema = z
  .object({
    scripts: z.record(z.string(), z.string()),
    dependencies: z.record(z.string(), z.string()).optional(),
    devDependencies: z.record(z.string(), z.string()).optional(),
  })
  .loose()
export type PackageJson = z.infer<typeof PackageSchema>

/** Commands that need no script: npm's own, and the shell builtins the workflow uses. */
const TOOLCHAIN = new Set(['npm ci', 'npm install', 'echo', 'printf'])
/** npm's shorthands that run a script of that name. */
const SCRIPT_SHORTHANDS = new Set(['test', 'start', 'stop', 'restart'])

export function readPackageJson(root: string): PackageJson {
  return parseUnknown(PackageSchema, JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as unknown, 'package.json')
}

/** Binaries (`npx name`) that the declared dependencies install, from their package.json `bin`. */
export function declaredBinaries(root: string, pkg: PackageJson): ReadonlySet<string> {
  const bins = new Set<string>()
  for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) {
    const file = join(root, 'node_modules', dep, 'package.json')
    if (!existsSync(file)) continue
    const bin: unknown = (JSON.parse(readFileSync(file, 'utf8')) as { bin?: unknown }).bin
    if (typeof bin === 'string') bins.add(dep.replace(/^@[^/]+\//, ''))
    else if (bin !== null && typeof bin === 'object') for (const name of Object.keys(bin)) bins.add(name)
  }
  return bins
}

/** The simple commands of a `run:` block: one per line and per `&&`, `||`, `;`. */
export function commandsOf(run: string): string[] {
  return run
    .replace(/\$\{\{[^}]*\}\}/g, 'EXPR')
    .split('\n')
    .flatMap((line) => line.split(/&&|\|\||;/))
    .map((command) => command.trim())
    .filter((command) => command !== '' && !command.startsWith('#'))
}

/** Why a command would not run here, or null if it would. */
export function checkCommand(command: string, pkg: PackageJson, binaries: ReadonlySet<string>): string | null {
  const words = command.split(/\s+/)
  // A plain variable assignment (`key="$RUNNER_TEMP/x"`) runs nothing.
  if (words.length === 1 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(command)) return null
  const [tool = '', first = '', second = ''] = words
  if (TOOLCHAIN.has(tool) || TOOLCHAIN.has(`${tool} ${first}`)) return null
  if (tool === 'npm') {
    const script = first === 'run' || first === 'run-script' ? second : SCRIPT_SHORTHANDS.has(first) ? first : undefined
    if (script === undefined) return `\`${command}\`: not an npm command this check knows`
    return script in pkg.scripts ? null : `\`${command}\`: package.json has no script "${script}"`
  }
  if (tool === 'npx') return binaries.has(first) ? null : `\`${command}\`: no declared dependency ships a "${first}" binary`
  return `\`${command}\`: "${tool}" is neither an npm script nor a known toolchain command`
}

/** Every problem in the workflow's `run:` steps, as `job › step: why`. */
export function checkWorkflow(workflow: Workflow, pkg: PackageJson, binaries: ReadonlySet<string>): string[] {
  const problems: string[] = []
  for (const [jobName, job] of Object.entries(workflow.jobs)) {
    job.steps.forEach((step, index) => {
      if (step.run === undefined) return
      for (const command of commandsOf(step.run)) {
        const problem = checkCommand(command, pkg, binaries)
        if (problem !== null) problems.push(`${jobName} › ${step.name ?? `step ${index + 1}`}: ${problem}`)
      }
    })
  }
  return problems
}

export function parseWorkflow(value: unknown, source: string): Workflow {
  return parseUnknown(WorkflowSchema, value, source)
}
