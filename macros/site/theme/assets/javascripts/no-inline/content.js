/* Material 9.8.2 partials/javascripts/content.html (open the tab named in the URL hash), moved out of the page. */
var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))
