/**
 * The styles of the Vant components the page uses, one import each (with what they build on), instead of the whole
 * library's CSS: a phone on a slow network loads only these. A component added to a template is added here too.
 */
import 'vant/es/button/style/index';
import 'vant/es/cell/style/index';
import 'vant/es/cell-group/style/index';
import 'vant/es/checkbox/style/index';
import 'vant/es/checkbox-group/style/index';
import 'vant/es/empty/style/index';
import 'vant/es/field/style/index';
import 'vant/es/form/style/index';
import 'vant/es/nav-bar/style/index';
import 'vant/es/popup/style/index';
import 'vant/es/radio/style/index';
import 'vant/es/radio-group/style/index';
import 'vant/es/search/style/index';
import 'vant/es/tag/style/index';
