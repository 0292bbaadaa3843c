/**
 * Robot models and their serial reservations. Records, and this area's part of the store interface (composed in
 * ../store.ts).
 */
import type { RobotModel } from '../../domain/model/model.js';
import type { Page, PageRequest } from '../page.js';

export interface ModelReader {
  getModel(enterpriseCode: string, code: string): Promise<RobotModel | null>;
  listModels(enterpriseCode: string | null, page: PageRequest): Promise<Page<RobotModel>>;
}

export interface ModelWriter {
  insertModel(model: RobotModel): Promise<void>;
  /** Reserves `count` registry serial numbers for a model and returns the first. */
  reserveSerials(enterpriseCode: string, modelCode: string, count: number): Promise<number>;
}
