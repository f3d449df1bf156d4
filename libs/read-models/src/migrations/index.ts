import { CreateReadModels1764000000000 } from './1764000000000-create-read-models.js';

export const readModelMigrations = [CreateReadModels1764000000000];
