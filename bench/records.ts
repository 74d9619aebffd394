/**
 * Benchmarks for the records area (see the issue that owns it). Not written yet: reports no rows and says so.
 */
import type { BenchArea } from './types';

const run: BenchArea = async (ctx) => {
  ctx.log('no records benchmarks yet');
  return [];
};
export default run;
