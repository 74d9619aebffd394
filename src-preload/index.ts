/**
 * The preload: exposes `window.stethoscope`, a small named API generated from the contract's names.
 * No generic send/invoke is exposed; each method calls exactly one channel.
 */
import { contextBridge } from 'electron';
import { channelNames, eventNames } from '../src-shared/ipc/names';
import { buildApi } from '../src-shared/ipc/build-api';
import { invoke, subscribe } from './ipc-renderer';

contextBridge.exposeInMainWorld('stethoscope', buildApi(channelNames, eventNames, invoke, subscribe));
