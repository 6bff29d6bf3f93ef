export { chatMiddleware, type ExpressChatMiddleware } from './express/express-adapter';
