import { Module } from '@nestjs/common';
import { ObjectLinks } from './object-links.service.js';
import { ObjectServing } from './object-serving.service.js';
import { ObjectsController } from './objects.controller.js';

@Module({ controllers: [ObjectsController], providers: [ObjectLinks, ObjectServing], exports: [ObjectLinks, ObjectServing] })
export class ObjectsModule {}
