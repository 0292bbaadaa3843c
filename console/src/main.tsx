import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { nameListboxes } from './layout/listbox-names';

nameListboxes();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
