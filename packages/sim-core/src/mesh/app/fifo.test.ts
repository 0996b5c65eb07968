import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { Fifo } from './fifo.js';

test.prop([fc.array(fc.oneof(fc.integer(), fc.constant('shift' as const)), { maxLength: 300 })])(
  'Fifo behaves like an array with push/shift (model-based)',
  (ops) => {
    const fifo = new Fifo<number>();
    const model: number[] = [];
    for (const op of ops) {
      if (op === 'shift') expect(fifo.shift()).toBe(model.shift());
      else {
        fifo.push(op);
        model.push(op);
      }
      expect(fifo.length).toBe(model.length);
      expect(fifo.peek()).toBe(model[0]);
    }
  },
);
