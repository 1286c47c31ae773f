/**
 * Container benchmark: the image's size (and the part above its base: what the Dockerfile adds) and
 * the time from `docker run` to the first answered request, median of several starts. Targets: under
 * 200 MB on node:20-bookworm-slim, first answer under 1 s. On a machine with no registry the base is
 * made from the local Node (test/container/base-image.ts), so the size above the base is the figure
 * that carries over to the slim base.
 *
 * Run alone: `node --import tsx test/bench/run.ts container` (needs a Docker engine).
 */
import { buildBaseImage } from '../container/base-image.js';
import { buildImage, DOCKER, imageSizeBytes, startContainer } from '../container/support.js';
import { type Log, median, printTable } from './support/report.js';

const STARTS = 5;
const MB = 1_000_000;

export interface ContainerBenchResult {
  readonly bench: 'container';
  readonly imageMb: number;
  readonly baseMb: number;
  readonly addedMb: number;
  readonly firstAnswerMs: number;
}

export async function runContainerBench(log: Log = console.log): Promise<ContainerBenchResult> {
  log(`container bench: image size; docker run -> first answer of GET /_mock/clock, x${STARTS}, median`);
  const base = buildBaseImage(DOCKER);
  const image = await buildImage();
  const starts: number[] = [];
  for (let i = 0; i <= STARTS; i += 1) {
    const began = performance.now();
    const container = await startContainer(image);
    const tookMs = performance.now() - began;
    await container.remove();
    // The first start fills the page cache, as it is once an image has been pulled and run.
    if (i > 0) starts.push(tookMs);
  }
  const imageMb = imageSizeBytes(image) / MB;
  const baseMb = imageSizeBytes(base) / MB;
  const result: ContainerBenchResult = {
    bench: 'container',
    imageMb: Math.round(imageMb),
    baseMb: Math.round(baseMb),
    addedMb: Math.round((imageMb - baseMb) * 10) / 10,
    firstAnswerMs: Math.round(median(starts)),
  };
  printTable(log, [
    ['figure', 'value'],
    [`image (${base} base)`, `${result.imageMb} MB`],
    ['of which the base', `${result.baseMb} MB`],
    ['added by the Dockerfile', `${result.addedMb} MB`],
    ['docker run -> first answer (median)', `${result.firstAnswerMs} ms`],
    ['starts (ms)', starts.map(Math.round).join(', ')],
  ]);
  return result;
}
