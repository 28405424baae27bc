import { render } from 'preact';
import { Console } from './console';
import './styles.css';

render(<Console />, document.getElementById('app')!);
