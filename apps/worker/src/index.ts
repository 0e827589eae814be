export { startWorker, type StartWorkerOptions, type WorkerHandle } from './runner'
export { createTaskList, crontab } from './task-list'
export { readWorkerEnv } from './env'
export { createMailer, type Mailer } from './mail'
